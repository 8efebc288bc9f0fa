"""long_plan_2y: plans open at `to` for 2 years or longer."""

from assure.indicators.tests.builders import Case, run, statuses


def test_long_plans(partnership):
    case = Case()
    # `to` is 30 Jun 2026. Started 30 Jun 2024: 2 years on is 30 Jun 2026: breach.
    case.plan("L1", "P1", "2024-06-30")
    case.plan("L2", "P2", "2024-07-01")  # a day short of 2 years: met
    case.plan("L3", "P3", "2024-01-01", end="2026-05-01")  # ended: not counted
    case.plan("L4", "P4", "2024-01-01", end="2026-08-01")  # ends after `to`: open, breach
    case.person("P5", dob="", expected="2026-08-01")
    case.plan("L5", "P5", "2026-03-02")  # pre-birth plan: met
    case.load(partnership)

    result = run("long_plan_2y", partnership, "2026-01-01", "2026-06-30")
    assert statuses(result) == {
        "plan L1": (None, None, "breach"),
        "plan L2": (None, None, "met"),
        "plan L4": (None, None, "breach"),
        "plan L5": (None, None, "met"),
    }
    assert result.value == 0.5
