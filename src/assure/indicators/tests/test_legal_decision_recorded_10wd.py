"""legal_decision_recorded_10wd: legal planning decisions recorded within 10 working days."""

from assure.indicators.tests.builders import Case, run, statuses


def test_legal_decisions(partnership):
    case = Case()
    # L1: meeting, decided Mon 21 Dec 2026 + 10 wd = Thu 7 Jan 2027 (Tue 22, Wed 23, Thu 24
    # (3), Fri 25 and Mon 28 Dec holidays (28 Dec is the substitute for Boxing Day), Tue 29
    # (4), Wed 30, Thu 31 (6), Fri 1 Jan holiday, Mon 4 - Thu 7 (10)); recorded 7 Jan: met.
    case.legal("L1", "P1", "2026-12-14", decision_date="2026-12-21", recorded="2027-01-07")
    # L2: declined with no decision date: the request date, Fri 18 Dec 2026, is the decision
    # date; + 10 wd = Wed 6 Jan 2027; recorded Thu 7 Jan: late.
    case.legal("L2", "P2", "2026-12-18", route="declined", recorded="2027-01-07")
    # L3: a meeting requested but not yet decided: no obligation.
    case.legal("L3", "P3", "2027-01-11")
    # L4: decided Mon 4 Jan 2027 + 10 wd = Mon 18 Jan; recorded Wed 3 Feb, after `to`:
    # overdue.
    case.legal("L4", "P4", "2026-12-30", decision_date="2027-01-04", recorded="2027-02-03")
    case.load(partnership)

    result = run("legal_decision_recorded_10wd", partnership, "2027-01-01", "2027-01-31")
    assert statuses(result) == {
        "legal planning L1": ("2027-01-07", "2027-01-07", "met"),
        "legal planning L2": ("2027-01-06", "2027-01-07", "late"),
        "legal planning L4": ("2027-01-18", None, "overdue"),
    }
    assert result.value == 1 / 3
