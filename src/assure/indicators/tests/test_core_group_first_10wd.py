"""core_group_first_10wd: first core group within 10 working days of the plan starting."""

from assure.indicators.tests.builders import Case, run, statuses

WINDOW = ("2026-01-01", "2026-06-30")


def test_first_core_group(partnership):
    case = Case()
    # CPP1 starts at the ICPC on Fri 19 Dec 2025 + 10 wd = Wed 7 Jan 2026 (domain.md's
    # example: 25, 26 Dec and 1 Jan are holidays). First core group on 7 Jan: met; a later one
    # does not matter.
    case.icpc("I1", "P1", "2025-12-19", plan="CPP1")
    case.plan("CPP1", "P1", "2025-12-19", icpc="I1")
    case.core_group("CG1", "P1", "CPP1", "2026-01-07")
    case.core_group("CG1b", "P1", "CPP1", "2026-02-10")
    # CPP2 same start, first core group Thu 8 Jan: late.
    case.plan("CPP2", "P2", "2025-12-19")
    case.core_group("CG2", "P2", "CPP2", "2026-01-08")
    # CPP3 is a pre-birth plan (no date of birth, expected in May): it counts like any plan.
    # Starts Fri 27 Mar 2026 + 10 wd = Tue 14 Apr 2026 (Mon 30 Mar - Thu 2 Apr (4), Good
    # Friday 3 and Easter Monday 6 Apr, Tue 7 - Fri 10 (8), Mon 13 (9), Tue 14 (10)): met.
    case.person("P3", dob="", expected="2026-05-20")
    case.plan("CPP3", "P3", "2026-03-27")
    case.core_group("CG3", "P3", "CPP3", "2026-04-14")
    # CPP4 starts at a transfer-in conference on Wed 20 May 2026 + 10 wd = Thu 4 Jun 2026
    # (Mon 25 May is the spring bank holiday). No core group by 30 Jun: overdue.
    case.icpc("I4", "P4", "2026-05-20", plan="CPP4", transfer_in=True)
    case.plan("CPP4", "P4", "2026-05-20", icpc="I4")
    # CPP5 starts Fri 19 Dec 2025 (due Wed 7 Jan) and ends Mon 5 Jan 2026 with no core group:
    # void.
    case.plan("CPP5", "P5", "2025-12-19", end="2026-01-05")
    # CPP6 starts Mon 1 Jun 2026 + 10 wd = Mon 15 Jun; its first core group on Wed 1 Jul is
    # after `to`: overdue at 30 Jun, late at 31 Jul.
    case.plan("CPP6", "P6", "2026-06-01")
    case.core_group("CG6", "P6", "CPP6", "2026-07-01")
    # CPP7 starts Mon 22 Jun 2026 + 10 wd = Mon 6 Jul: upcoming.
    case.plan("CPP7", "P7", "2026-06-22")
    case.load(partnership)

    result = run("core_group_first_10wd", partnership, *WINDOW)
    assert statuses(result) == {
        "plan CPP1 first core group": ("2026-01-07", "2026-01-07", "met"),
        "plan CPP2 first core group": ("2026-01-07", "2026-01-08", "late"),
        "plan CPP3 first core group": ("2026-04-14", "2026-04-14", "met"),
        "plan CPP4 first core group": ("2026-06-04", None, "overdue"),
        "plan CPP5 first core group": ("2026-01-07", None, "void"),
        "plan CPP6 first core group": ("2026-06-15", None, "overdue"),
        "plan CPP7 first core group": ("2026-07-06", None, "upcoming"),
    }
    assert result.value == 2 / 5

    later = statuses(run("core_group_first_10wd", partnership, "2026-01-01", "2026-07-31"))
    assert later["plan CPP6 first core group"] == ("2026-06-15", "2026-07-01", "late")
    assert later["plan CPP7 first core group"] == ("2026-07-06", None, "overdue")
