"""viability_10wd: viability assessments completed within 10 working days of the request."""

from assure.indicators.tests.builders import Case, run, statuses


def test_viability_completion(partnership):
    case = Case()
    # Requested Fri 19 Dec 2025 + 10 wd = Wed 7 Jan 2026 (25, 26 Dec and 1 Jan are holidays).
    case.viability("V1", "P1", "2025-12-19", completed="2026-01-07", outcome="positive")
    case.viability("V2", "P2", "2025-12-19", completed="2026-01-08", outcome="negative")
    case.viability("V3", "P3", "2025-12-19")  # not completed: overdue
    case.viability("V4", "P4", "2025-12-19", outcome="withdrawn")  # withdrawn: void
    # Requested Mon 23 Mar 2026 + 10 wd = Wed 8 Apr 2026 (Easter); completed Thu 9 Apr,
    # after `to` (31 Mar): upcoming as at 31 Mar.
    case.viability("V5", "P5", "2026-03-23", completed="2026-04-09")
    case.load(partnership)

    result = run("viability_10wd", partnership, "2026-01-01", "2026-03-31")
    assert statuses(result) == {
        "viability assessment V1": ("2026-01-07", "2026-01-07", "met"),
        "viability assessment V2": ("2026-01-07", "2026-01-08", "late"),
        "viability assessment V3": ("2026-01-07", None, "overdue"),
        "viability assessment V4": ("2026-01-07", None, "void"),
        "viability assessment V5": ("2026-04-08", None, "upcoming"),
    }
    assert result.value == 1 / 3
