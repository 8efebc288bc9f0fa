"""core_group_interval: each next core group within 42 days of the previous one."""

from assure.indicators.tests.builders import Case, run, statuses


def test_core_group_chain(partnership):
    case = Case()
    # CPP1: meetings Wed 7 Jan 2026; Wed 18 Feb (7 Jan + 42 days = 18 Feb: met on the day);
    # Thu 2 Apr (due 18 Feb + 42 = Wed 1 Apr: late); Fri 15 May (due 2 Apr + 42 = Thu 14 May:
    # late). Next due 15 May + 42 = Fri 26 Jun, none by 30 Jun: overdue, and the chain stops.
    case.plan("CPP1", "P1", "2025-12-19")
    for n, when in enumerate(["2026-01-07", "2026-02-18", "2026-04-02", "2026-05-15"], 1):
        case.core_group(f"CG1-{n}", "P1", "CPP1", when)
    # CPP2: meeting Mon 12 Jan 2026, next due Mon 23 Feb; the plan ended Fri 20 Feb: void.
    case.plan("CPP2", "P2", "2026-01-05", end="2026-02-20")
    case.core_group("CG2-1", "P2", "CPP2", "2026-01-12")
    # CPP3: meeting Tue 5 May 2026, next due Tue 16 Jun; the next meeting, Wed 1 Jul, is after
    # `to`: overdue at 30 Jun; at 31 Jul it is late and the next (1 Jul + 42 = Wed 12 Aug) is
    # upcoming.
    case.plan("CPP3", "P3", "2026-04-28")
    case.core_group("CG3-1", "P3", "CPP3", "2026-05-05")
    case.core_group("CG3-2", "P3", "CPP3", "2026-07-01")
    # CPP4: meeting Mon 1 Jun 2026, next due Mon 13 Jul: upcoming.
    case.plan("CPP4", "P4", "2026-05-20")
    case.core_group("CG4-1", "P4", "CPP4", "2026-06-01")
    case.load(partnership)

    result = run("core_group_interval", partnership, "2026-01-01", "2026-06-30")
    assert statuses(result) == {
        "plan CPP1 core group after 2026-01-07": ("2026-02-18", "2026-02-18", "met"),
        "plan CPP1 core group after 2026-02-18": ("2026-04-01", "2026-04-02", "late"),
        "plan CPP1 core group after 2026-04-02": ("2026-05-14", "2026-05-15", "late"),
        "plan CPP1 core group after 2026-05-15": ("2026-06-26", None, "overdue"),
        "plan CPP2 core group after 2026-01-12": ("2026-02-23", None, "void"),
        "plan CPP3 core group after 2026-05-05": ("2026-06-16", None, "overdue"),
        "plan CPP4 core group after 2026-06-01": ("2026-07-13", None, "upcoming"),
    }
    assert (result.met, result.late, result.overdue, result.void) == (1, 2, 2, 1)

    later = statuses(run("core_group_interval", partnership, "2026-01-01", "2026-07-31"))
    assert later["plan CPP3 core group after 2026-05-05"] == ("2026-06-16", "2026-07-01", "late")
    assert later["plan CPP3 core group after 2026-07-01"] == ("2026-08-12", None, "upcoming")
    assert later["plan CPP4 core group after 2026-06-01"] == ("2026-07-13", None, "overdue")
