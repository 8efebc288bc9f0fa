"""icpc_15wd_s47: ICPC within 15 working days of the section 47 start (DfE basis)."""

from assure.indicators.tests.builders import Case, run, statuses


def test_icpc_from_s47_start(partnership):
    case = Case()
    # S1 starts Mon 22 Dec 2025 + 15 wd = Thu 15 Jan 2026 (Tue 23 (1), Wed 24 (2), Mon 29 (3),
    # Tue 30, Wed 31 (5), Fri 2 Jan (6), Mon 5 - Fri 9 (11), Mon 12 - Thu 15 (15); 25, 26 Dec
    # and 1 Jan are holidays). Its strategy discussion was Fri 19 Dec: on this basis the ICPC
    # of Thu 15 Jan is met (it is late on the strategy basis).
    case.s47("S1", "P1", "2025-12-22", end="2026-01-15", nfa="N")
    case.strategy("SD1", "P1", "2025-12-19", s47="S1")
    case.icpc("I1", "P1", "2026-01-15", s47="S1")
    # S2 starts Fri 19 Dec 2025 + 15 wd = Wed 14 Jan 2026; no strategy discussion recorded,
    # still counted; ICPC Thu 15 Jan: late.
    case.s47("S2", "P2", "2025-12-19")
    case.icpc("I2", "P2", "2026-01-15", s47="S2")
    # S3 starts Mon 30 Mar 2026 + 15 wd = Wed 22 Apr 2026 (Easter: Fri 3 and Mon 6 Apr).
    # It ends NFA on the due date itself, without an ICPC: void.
    case.s47("S3", "P3", "2026-03-30", end="2026-04-22", nfa="Y")
    # S4 same start, ended NFA Thu 23 Apr, the day after it fell due: overdue.
    case.s47("S4", "P4", "2026-03-30", end="2026-04-23", nfa="Y")
    # S5 starts Mon 1 Jun 2026 + 15 wd = Mon 22 Jun; the ICPC was held on the due date but
    # the enquiry is linked to a transfer-in conference as well: not counted.
    case.s47("S5", "P5", "2026-06-01")
    case.icpc("I5", "P5", "2026-06-22", s47="S5", transfer_in=True)
    case.load(partnership)

    result = run("icpc_15wd_s47", partnership, "2026-01-01", "2026-06-30")
    assert statuses(result) == {
        "s47 S1 ICPC": ("2026-01-15", "2026-01-15", "met"),
        "s47 S2 ICPC": ("2026-01-14", "2026-01-15", "late"),
        "s47 S3 ICPC": ("2026-04-22", None, "void"),
        "s47 S4 ICPC": ("2026-04-22", None, "overdue"),
    }
    assert result.value == 1 / 3
    strategy = statuses(run("icpc_15wd_strategy", partnership, "2026-01-01", "2026-06-30"))
    assert strategy == {"s47 S1 ICPC": ("2026-01-14", "2026-01-15", "late")}
