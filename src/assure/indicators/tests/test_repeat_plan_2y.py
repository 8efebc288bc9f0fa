"""repeat_plan_2y: plans started in the window after a plan that ended within 2 years."""

from assure.indicators.tests.builders import Case, run, statuses


def test_repeat_plans(partnership):
    case = Case()
    # P1: previous plan ended 15 Mar 2024; + 24 months = 15 Mar 2026, the new plan's start:
    # within 2 years, breach.
    case.plan("A1", "P1", "2023-01-10", end="2024-03-15")
    case.plan("B1", "P1", "2026-03-15")
    # P2: a day later: met.
    case.plan("A2", "P2", "2023-01-10", end="2024-03-15")
    case.plan("B2", "P2", "2026-03-16")
    # P3: a first plan: met.
    case.plan("B3", "P3", "2026-02-02")
    # P4: started before the window: not counted.
    case.plan("B4", "P4", "2025-12-31")
    # P5: ended Thu 29 Feb 2024 (leap day) + 24 months = 28 Feb 2026 (clamped); a plan starting
    # on 28 Feb 2026 is a repeat; P6's, on 1 Mar 2026, is not.
    case.plan("A5", "P5", "2023-06-01", end="2024-02-29")
    case.plan("B5", "P5", "2026-02-28")
    case.plan("A6", "P6", "2023-06-01", end="2024-02-29")
    case.plan("B6", "P6", "2026-03-01")
    # P7: a plan starting after `to`: not counted.
    case.plan("B7", "P7", "2027-01-04")
    case.load(partnership)

    result = run("repeat_plan_2y", partnership, "2026-01-01", "2026-12-31")
    assert statuses(result) == {
        "plan B1": (None, None, "breach"),
        "plan B2": (None, None, "met"),
        "plan B3": (None, None, "met"),
        "plan B5": (None, None, "breach"),
        "plan B6": (None, None, "met"),
    }
