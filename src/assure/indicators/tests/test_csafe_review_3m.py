"""csafe_review_3m: open CSAFE flags started or reviewed within the 3 months before `to`."""

from assure.indicators.tests.builders import Case, run, statuses

WINDOW = ("2026-09-01", "2026-11-30")


def test_csafe_flags(partnership):
    case = Case()
    # `to` is Mon 30 Nov 2026. Reviewed Mon 31 Aug 2026: + 3 months = 30 Nov (31 Nov clamped),
    # on or after `to`: met.
    case.flag("F1", "P1", "2025-01-10", review="2026-08-31")
    # Reviewed Sat 29 Aug 2026: + 3 months = 29 Nov, before `to`: breach.
    case.flag("F2", "P2", "2025-01-10", review="2026-08-29")
    # Started 15 Sep 2026, never reviewed: the start is within 3 months: met.
    case.flag("F3", "P3", "2026-09-15")
    # Ended 1 Oct 2026: not open at `to`, left out.
    case.flag("F4", "P4", "2025-01-10", end="2026-10-01")
    # Its review of 5 Dec 2026 is after `to`: ignored; started Jan 2026: breach.
    case.flag("F5", "P5", "2026-01-10", review="2026-12-05")
    # Not a CSAFE flag.
    case.flag("F6", "P6", "2025-01-10", code="CSE")
    case.load(partnership)

    result = run("csafe_review_3m", partnership, *WINDOW)
    assert statuses(result) == {
        "CSAFE flag F1": (None, "2026-08-31", "met"),
        "CSAFE flag F2": (None, "2026-08-29", "breach"),
        "CSAFE flag F3": (None, None, "met"),
        "CSAFE flag F5": (None, None, "breach"),
    }
