"""rcpc_timeliness: first review within 3 months of the ICPC, then at most 6 months apart."""

from assure.indicators.tests.builders import Case, run, statuses

WINDOW = ("2026-01-01", "2026-12-31")


def test_review_conference_chain(partnership):
    case = Case()
    # CPP1 starts Fri 31 Oct 2025: first review due 31 Jan 2026 (3 months); held Fri 30 Jan:
    # met. Second due 30 Jan + 6 months = 30 Jul 2026; held Fri 31 Jul: late. Third due
    # 31 Jul + 6 months = 31 Jan 2027: upcoming.
    case.plan("CPP1", "P1", "2025-10-31")
    case.review("R1-1", "P1", "CPP1", "2026-01-30")
    case.review("R1-2", "P1", "CPP1", "2026-07-31")
    # CPP2 starts Sun 30 Nov 2025: 3 months on is 30 Feb, clamped to Sat 28 Feb 2026; held
    # Mon 2 Mar: late. Second due 2 Sep 2026; held Fri 28 Aug, which ends the plan: met, and
    # no more reviews are due.
    case.plan("CPP2", "P2", "2025-11-30", end="2026-08-28")
    case.review("R2-1", "P2", "CPP2", "2026-03-02")
    case.review("R2-2", "P2", "CPP2", "2026-08-28")
    # CPP3 starts Mon 1 Jun 2026: due Tue 1 Sep 2026; the review of Tue 5 Jan 2027 is after
    # `to`: overdue.
    case.plan("CPP3", "P3", "2026-06-01")
    case.review("R3-1", "P3", "CPP3", "2027-01-05")
    # CPP4 starts Tue 7 Apr 2026: due Tue 7 Jul; the plan ended on Tue 30 Jun (the child moved
    # away) before it fell due: void.
    case.plan("CPP4", "P4", "2026-04-07", end="2026-06-30")
    # CPP5 starts at a transfer-in conference on Mon 2 Feb 2026: due 2 May; held Thu 30 Apr:
    # met; next due 30 Oct; held Fri 30 Oct: met; next due 30 Apr 2027: upcoming.
    case.icpc("I5", "P5", "2026-02-02", plan="CPP5", transfer_in=True)
    case.plan("CPP5", "P5", "2026-02-02", icpc="I5")
    case.review("R5-1", "P5", "CPP5", "2026-04-30")
    case.review("R5-2", "P5", "CPP5", "2026-10-30")
    # CPP6 starts Mon 3 Aug 2026 and ends Fri 15 Jan 2027, after `to`: as at 31 Dec it is
    # open, so the review due Tue 3 Nov 2026 is overdue, not void.
    case.plan("CPP6", "P6", "2026-08-03", end="2027-01-15")
    case.load(partnership)

    result = run("rcpc_timeliness", partnership, *WINDOW)
    assert statuses(result) == {
        "plan CPP1 review 1": ("2026-01-31", "2026-01-30", "met"),
        "plan CPP1 review 2": ("2026-07-30", "2026-07-31", "late"),
        "plan CPP1 review 3": ("2027-01-31", None, "upcoming"),
        "plan CPP2 review 1": ("2026-02-28", "2026-03-02", "late"),
        "plan CPP2 review 2": ("2026-09-02", "2026-08-28", "met"),
        "plan CPP3 review 1": ("2026-09-01", None, "overdue"),
        "plan CPP4 review 1": ("2026-07-07", None, "void"),
        "plan CPP5 review 1": ("2026-05-02", "2026-04-30", "met"),
        "plan CPP5 review 2": ("2026-10-30", "2026-10-30", "met"),
        "plan CPP5 review 3": ("2027-04-30", None, "upcoming"),
        "plan CPP6 review 1": ("2026-11-03", None, "overdue"),
    }
    assert result.value == 4 / 8
