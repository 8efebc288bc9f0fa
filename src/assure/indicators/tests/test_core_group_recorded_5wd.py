"""core_group_recorded_5wd: each core group written up within 5 working days."""

from assure.indicators.tests.builders import Case, run, statuses


def test_core_group_records(partnership):
    case = Case()
    case.plan("CPP1", "P1", "2026-03-02", end="2026-04-10")
    # Thu 2 Apr 2026 + 5 wd = Mon 13 Apr (Good Friday 3 Apr and Easter Monday 6 Apr: Tue 7 (1)
    # - Fri 10 (4), Mon 13 (5)). The plan ended on Fri 10 Apr, but a record is still needed:
    # written up Tue 14 Apr, late (never void).
    case.core_group("CG1", "P1", "CPP1", "2026-04-02", recorded="2026-04-14")
    case.plan("CPP2", "P2", "2026-12-01")
    # Mon 21 Dec 2026 + 5 wd = Wed 30 Dec (Tue 22, Wed 23, Thu 24 (3), Fri 25 Christmas,
    # Mon 28 the substitute day for Boxing Day (a Saturday), Tue 29 (4), Wed 30 (5)).
    case.core_group("CG2", "P2", "CPP2", "2026-12-21", recorded="2026-12-30")  # met
    case.core_group("CG3", "P2", "CPP2", "2026-12-21", recorded="2026-12-31")  # late
    # Thu 24 Dec 2026 + 5 wd = Tue 5 Jan 2027 (Tue 29, Wed 30, Thu 31 (3), Fri 1 Jan holiday,
    # Mon 4 (4), Tue 5 (5)); written up Tue 2 Feb 2027, after `to`: overdue.
    case.core_group("CG4", "P2", "CPP2", "2026-12-24", recorded="2027-02-02")
    # Thu 28 Jan 2027 + 5 wd = Thu 4 Feb 2027: upcoming.
    case.core_group("CG5", "P2", "CPP2", "2027-01-28")
    case.load(partnership)

    result = run("core_group_recorded_5wd", partnership, "2026-04-01", "2027-01-31")
    assert statuses(result) == {
        "plan CPP1 core group CG1 record": ("2026-04-13", "2026-04-14", "late"),
        "plan CPP2 core group CG2 record": ("2026-12-30", "2026-12-30", "met"),
        "plan CPP2 core group CG3 record": ("2026-12-30", "2026-12-31", "late"),
        "plan CPP2 core group CG4 record": ("2027-01-05", None, "overdue"),
        "plan CPP2 core group CG5 record": ("2027-02-04", None, "upcoming"),
    }
    assert result.value == 1 / 4
    later = statuses(run("core_group_recorded_5wd", partnership, "2026-04-01", "2027-02-28"))
    assert later["plan CPP2 core group CG4 record"] == ("2027-01-05", "2027-02-02", "late")
