"""plan_action_quality: each action of plans open at `to` states all four elements."""

from assure.indicators.tests.builders import Case, run, statuses


def test_actions_of_open_plans(partnership):
    case = Case()
    case.plan("CPP1", "P1", "2026-01-05")  # open
    case.action("A1", "P1", "CPP1")  # all four: met
    case.action("A2", "P1", "CPP1", risk=False)  # no risk: breach
    case.plan("CPP2", "P2", "2026-01-05", end="2026-05-01")  # ended before `to`: left out
    case.action("A3", "P2", "CPP2", outcome=False)
    case.plan("CPP3", "P3", "2026-02-02", end="2026-08-03")  # ends after `to`: open at `to`
    case.action("A4", "P3", "CPP3", responsible=False, timeframe=False)
    case.plan("CPP4", "P4", "2026-07-06")  # starts after `to`: left out
    case.action("A5", "P4", "CPP4", risk=False)
    case.person("P5", death="2026-06-01")  # the child died: left out
    case.plan("CPP5", "P5", "2026-01-05")
    case.action("A6", "P5", "CPP5", risk=False)
    case.load(partnership)

    result = run("plan_action_quality", partnership, "2026-01-01", "2026-06-30")
    assert statuses(result) == {
        "plan CPP1 action A1": (None, None, "met"),
        "plan CPP1 action A2": (None, None, "breach"),
        "plan CPP3 action A4": (None, None, "breach"),
    }
    assert result.value == 1 / 3
