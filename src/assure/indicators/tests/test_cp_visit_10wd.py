"""cp_visit_10wd: each next visit seeing the child within 10 working days."""

from assure.indicators.tests.builders import Case, run, statuses

WINDOW = ("2026-01-01", "2026-04-30")


def test_visit_chain(partnership):
    case = Case()
    # CPP1 starts Fri 19 Dec 2025: first visit due Wed 7 Jan 2026 (25, 26 Dec, 1 Jan are
    # holidays); seen on 7 Jan: met. Next due 7 Jan + 10 wd = Wed 21 Jan; the visit of Tue
    # 20 Jan did not see the child (does not count); seen Thu 22 Jan: late. Next due Thu 5 Feb;
    # the next visit, Tue 5 May, is after `to`: overdue, and the chain stops.
    case.plan("CPP1", "P1", "2025-12-19")
    case.visit("V1", "P1", "CPP1", "2026-01-07")
    case.visit("V2", "P1", "CPP1", "2026-01-20", seen="N")
    case.visit("V3", "P1", "CPP1", "2026-01-22")
    case.visit("V4", "P1", "CPP1", "2026-05-05")
    # CPP2 is a pre-birth plan: the child is not born, so visits have "seen" blank and count.
    # Starts Fri 27 Mar 2026 + 10 wd = Tue 14 Apr (Easter: Fri 3 and Mon 6 Apr); visit
    # Fri 10 Apr: met. Next due Fri 24 Apr; visit Thu 23 Apr: met. Next due 23 Apr + 10 wd =
    # Fri 8 May (Mon 4 May is the early May bank holiday): upcoming.
    case.person("P2", dob="", expected="2026-06-15")
    case.plan("CPP2", "P2", "2026-03-27")
    case.visit("V5", "P2", "CPP2", "2026-04-10", seen="")
    case.visit("V6", "P2", "CPP2", "2026-04-23", seen="")
    # CPP3 starts Mon 2 Feb 2026: due Mon 16 Feb; seen Mon 9 Feb: met. Next due Mon 23 Feb;
    # the plan ended Fri 20 Feb: void.
    case.plan("CPP3", "P3", "2026-02-02", end="2026-02-20")
    case.visit("V7", "P3", "CPP3", "2026-02-09")
    # CPP4 (a child born in 2015) starts Wed 1 Apr 2026: due Fri 17 Apr (Thu 2 Apr (1), Tue 7
    # (2) ... Fri 17 (10)); a visit with "seen" blank does not count for a born child: overdue.
    case.plan("CPP4", "P4", "2026-04-01")
    case.visit("V8", "P4", "CPP4", "2026-04-07", seen="")
    case.load(partnership)

    result = run("cp_visit_10wd", partnership, *WINDOW)
    assert statuses(result) == {
        "plan CPP1 visit after 2025-12-19": ("2026-01-07", "2026-01-07", "met"),
        "plan CPP1 visit after 2026-01-07": ("2026-01-21", "2026-01-22", "late"),
        "plan CPP1 visit after 2026-01-22": ("2026-02-05", None, "overdue"),
        "plan CPP2 visit after 2026-03-27": ("2026-04-14", "2026-04-10", "met"),
        "plan CPP2 visit after 2026-04-10": ("2026-04-24", "2026-04-23", "met"),
        "plan CPP2 visit after 2026-04-23": ("2026-05-08", None, "upcoming"),
        "plan CPP3 visit after 2026-02-02": ("2026-02-16", "2026-02-09", "met"),
        "plan CPP3 visit after 2026-02-09": ("2026-02-23", None, "void"),
        "plan CPP4 visit after 2026-04-01": ("2026-04-17", None, "overdue"),
    }
    assert result.value == 4 / 7
