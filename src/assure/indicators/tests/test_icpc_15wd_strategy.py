"""icpc_15wd_strategy: ICPC within 15 working days of the earliest strategy discussion."""

from assure.indicators.tests.builders import Case, run, statuses

WINDOW = ("2026-01-01", "2026-06-30")


def test_icpc_from_strategy_discussion(partnership):
    case = Case()
    # P1: strategy Fri 19 Dec 2025 + 15 wd = Wed 14 Jan 2026 (Thu 25, Fri 26 Dec and Thu 1 Jan
    # are bank holidays: Mon 22 (1), Tue 23, Wed 24 (3), Mon 29 (4), Tue 30, Wed 31 (6),
    # Fri 2 Jan (7), Mon 5 - Fri 9 (12), Mon 12, Tue 13, Wed 14 (15)). A second discussion on
    # Tue 23 Dec does not restart the clock. ICPC on the due date: met.
    case.s47("S1", "P1", "2025-12-22", end="2026-01-14", nfa="N")
    case.strategy("SD1", "P1", "2025-12-19", s47="S1")
    case.strategy("SD1b", "P1", "2025-12-23", s47="S1")
    case.icpc("I1", "P1", "2026-01-14", s47="S1")
    # P2: same clock, ICPC Thu 15 Jan 2026: late.
    case.s47("S2", "P2", "2025-12-19")
    case.strategy("SD2", "P2", "2025-12-19", s47="S2")
    case.icpc("I2", "P2", "2026-01-15", s47="S2")
    # P3: strategy Fri 27 Mar 2026 + 15 wd = Tue 21 Apr 2026 (Good Friday 3 Apr and Easter
    # Monday 6 Apr are holidays: Mon 30 Mar - Thu 2 Apr (4), Tue 7 - Fri 10 (8),
    # Mon 13 - Fri 17 (13), Mon 20 (14), Tue 21 (15)). The enquiry ends with no further
    # action on Fri 10 Apr, before it falls due: void.
    case.s47("S3", "P3", "2026-03-27", end="2026-04-10", nfa="Y")
    case.strategy("SD3", "P3", "2026-03-27", s47="S3")
    # P4: same due date, but the enquiry ends NFA on Thu 30 Apr, after the due date: overdue.
    case.s47("S4", "P4", "2026-03-27", end="2026-04-30", nfa="Y")
    case.strategy("SD4", "P4", "2026-03-27", s47="S4")
    # P5: strategy Mon 1 Jun 2026 + 15 wd = Mon 22 Jun 2026. ICPC Tue 7 Jul 2026 is after
    # `to` (30 Jun): ignored, so overdue (not late).
    case.s47("S5", "P5", "2026-06-01")
    case.strategy("SD5", "P5", "2026-06-01", s47="S5")
    case.icpc("I5", "P5", "2026-07-07", s47="S5")
    # P6: linked to a transfer-in conference: not counted.
    case.s47("S6", "P6", "2026-02-02")
    case.strategy("SD6", "P6", "2026-02-02", s47="S6")
    case.icpc("I6", "P6", "2026-02-10", s47="S6", transfer_in=True)
    # P7: strategy Thu 25 Jun 2026 + 15 wd = Thu 16 Jul 2026, after `to`: upcoming.
    case.s47("S7", "P7", "2026-06-25")
    case.strategy("SD7", "P7", "2026-06-25", s47="S7")
    # P8: due Tue 21 Apr 2026; the child died on Fri 10 Apr: void.
    case.person("P8", death="2026-04-10")
    case.s47("S8", "P8", "2026-03-27")
    case.strategy("SD8", "P8", "2026-03-27", s47="S8")
    # P9: a strategy discussion linked to no enquiry, and an enquiry without one: not counted.
    case.strategy("SD9", "P9", "2026-02-02")
    case.s47("S9", "P9", "2026-02-02")
    case.load(partnership)

    result = run("icpc_15wd_strategy", partnership, *WINDOW)
    assert statuses(result) == {
        "s47 S1 ICPC": ("2026-01-14", "2026-01-14", "met"),
        "s47 S2 ICPC": ("2026-01-14", "2026-01-15", "late"),
        "s47 S3 ICPC": ("2026-04-21", None, "void"),
        "s47 S4 ICPC": ("2026-04-21", None, "overdue"),
        "s47 S5 ICPC": ("2026-06-22", None, "overdue"),
        "s47 S7 ICPC": ("2026-07-16", None, "upcoming"),
        "s47 S8 ICPC": ("2026-04-21", None, "void"),
    }
    assert (result.met, result.late, result.overdue, result.upcoming, result.void) == (
        1,
        1,
        2,
        1,
        2,
    )
    assert result.value == 0.25

    # A month later the ICPC of 7 Jul has happened: late; and P7's falls due and is overdue.
    later = statuses(run("icpc_15wd_strategy", partnership, "2026-01-01", "2026-07-31"))
    assert later["s47 S5 ICPC"] == ("2026-06-22", "2026-07-07", "late")
    assert later["s47 S7 ICPC"] == ("2026-07-16", None, "overdue")


def test_no_data_without_strategy_discussions(partnership):
    case = Case()
    case.s47("S1", "P1", "2026-02-02")
    case.load(partnership, missing=("assure_strategy_discussions",))
    result = run("icpc_15wd_strategy", partnership, *WINDOW)
    assert not result.has_data
    assert result.value is None
    assert result.obligations == []
