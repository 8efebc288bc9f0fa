"""midway_review: a mid-way review between each two consecutive conferences of a plan."""

from assure.indicators.tests.builders import Case, run, statuses


def test_midway_reviews(partnership):
    case = Case()
    # CPP1: conferences Mon 5 Jan 2026 (ICPC), Wed 1 Apr and Thu 1 Oct 2026 (reviews). A
    # mid-way review on 20 Feb falls between the first two: met (due = the later conference).
    # One dated 1 Oct, the day of the conference itself, is not between: breach.
    case.plan("CPP1", "P1", "2026-01-05")
    case.review("R1-1", "P1", "CPP1", "2026-04-01")
    case.review("R1-2", "P1", "CPP1", "2026-10-01")
    case.midway("MW1", "P1", "CPP1", "2026-02-20")
    case.midway("MW2", "P1", "CPP1", "2026-10-01")
    # CPP2: its interval ends on 1 Feb 2026, before the window: not counted; the next interval
    # has not ended (no second review): nothing yet.
    case.plan("CPP2", "P2", "2025-11-03")
    case.review("R2-1", "P2", "CPP2", "2026-02-01")
    case.load(partnership)

    result = run("midway_review", partnership, "2026-03-01", "2026-12-31")
    assert statuses(result) == {
        "plan CPP1 mid-way review between conferences 1 and 2": (
            "2026-04-01",
            "2026-02-20",
            "met",
        ),
        "plan CPP1 mid-way review between conferences 2 and 3": ("2026-10-01", None, "breach"),
    }
    assert result.value == 0.5
