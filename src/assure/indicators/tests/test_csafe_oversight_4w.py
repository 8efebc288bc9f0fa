"""csafe_oversight_4w: a manager's oversight of each CSAFE case at most 28 days apart."""

from assure.indicators.tests.builders import Case, run, statuses

WINDOW = ("2026-09-01", "2026-11-30")  # `to` is Mon 30 Nov 2026


def test_oversight_chains(partnership):
    case = Case()
    # F1 from Mon 10 Aug 2026 (open). Oversight on the start day does not count; 4 Sep meets
    # the link due 7 Sep; 9 Oct is late for 2 Oct; 6 Nov meets 6 Nov; the next is due 4 Dec,
    # upcoming (the oversight of 2 Dec is after `to`).
    case.flag("F1", "P1", "2026-08-10")
    case.oversight("O1", "P1", "2026-08-10")
    case.oversight("O2", "P1", "2026-09-04", prof="M1")
    case.oversight("O3", "P1", "2026-10-09")
    case.oversight("O4", "P1", "2026-11-06")
    case.oversight("O5", "P1", "2026-12-02")
    # F2 from 1 Sep, ended 15 Oct: 20 Sep meets 29 Sep; the next, due 18 Oct, falls after the
    # flag ended and the 30 Oct oversight came after it: void, and the chain ends there.
    case.flag("F2", "P2", "2026-09-01", end="2026-10-15")
    case.oversight("O6", "P2", "2026-09-20")
    case.oversight("O7", "P2", "2026-10-30")
    # F3 ends 20 Dec, after `to`: still open as at `to`. Due 9 Nov, nothing: overdue.
    case.flag("F3", "P3", "2026-10-12", end="2026-12-20")
    # F4 is not a CSAFE flag: no chain, and its child's oversight counts for nobody.
    case.flag("F4", "P4", "2026-09-01", code="CSE")
    case.oversight("O8", "P4", "2026-09-10")
    # F5's child died on 1 Oct: the link due 12 Oct is void.
    case.person("P5", death="2026-10-01")
    case.flag("F5", "P5", "2026-09-14")
    case.load(partnership)

    result = run("csafe_oversight_4w", partnership, *WINDOW)
    assert statuses(result) == {
        "CSAFE flag F1 oversight after 2026-08-10": ("2026-09-07", "2026-09-04", "met"),
        "CSAFE flag F1 oversight after 2026-09-04": ("2026-10-02", "2026-10-09", "late"),
        "CSAFE flag F1 oversight after 2026-10-09": ("2026-11-06", "2026-11-06", "met"),
        "CSAFE flag F1 oversight after 2026-11-06": ("2026-12-04", None, "upcoming"),
        "CSAFE flag F2 oversight after 2026-09-01": ("2026-09-29", "2026-09-20", "met"),
        "CSAFE flag F2 oversight after 2026-09-20": ("2026-10-18", "2026-10-30", "void"),
        "CSAFE flag F3 oversight after 2026-10-12": ("2026-11-09", None, "overdue"),
        "CSAFE flag F5 oversight after 2026-09-14": ("2026-10-12", None, "void"),
    }
    assert {o.person_id for o in result.obligations} == {"P1", "P2", "P3", "P5"}
    assert (result.met, result.late, result.overdue) == (3, 1, 1)


def test_oversight_on_the_flags_last_day_is_in_time(partnership):
    case = Case()
    # Flag 1 Sep to Tue 29 Sep (its due date): open that day, so the 29 Sep oversight meets it.
    case.flag("F1", "P1", "2026-09-01", end="2026-09-29")
    case.oversight("O1", "P1", "2026-09-29")
    case.load(partnership)

    result = run("csafe_oversight_4w", partnership, *WINDOW)
    assert statuses(result) == {
        "CSAFE flag F1 oversight after 2026-09-01": ("2026-09-29", "2026-09-29", "met"),
    }


def test_no_data_without_the_oversight_table(partnership):
    case = Case()
    case.flag("F1", "P1", "2026-09-01")
    case.load(partnership, missing=("assure_case_oversight",))
    assert not run("csafe_oversight_4w", partnership, *WINDOW).has_data
