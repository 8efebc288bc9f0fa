"""chair_consistency: one chair for a child's conferences in the 12 months to `to`."""

from assure.indicators.tests.builders import Case, run, statuses

REF = "conferences 2025-12-31 to 2026-12-31"


def test_chairs(partnership):
    case = Case()
    # The period is after 31 Dec 2025 (to minus 12 months) and on or before 31 Dec 2026.
    # P1: ICPC and review both chaired by C1: met.
    case.plan("CPP1", "P1", "2026-01-05")
    case.icpc("I1", "P1", "2026-01-05", plan="CPP1", meeting="M1")
    case.review("R1", "P1", "CPP1", "2026-04-01", meeting="M2")
    case.chair("M1", "C1")
    case.chair("M2", "C1")
    # P2: ICPC by C1, review by C2: breach.
    case.plan("CPP2", "P2", "2026-02-02")
    case.icpc("I2", "P2", "2026-02-02", plan="CPP2", meeting="M3")
    case.review("R2", "P2", "CPP2", "2026-05-01", meeting="M4")
    case.chair("M3", "C1")
    case.chair("M4", "C2")
    # P3: transfer-in conference and a review by C2; a review by C1 on 5 Jan 2027 is after
    # `to`: ignored, so met.
    case.plan("CPP3", "P3", "2026-03-02")
    case.icpc("I3", "P3", "2026-03-02", plan="CPP3", transfer_in=True, meeting="M5")
    case.review("R3", "P3", "CPP3", "2026-06-01", meeting="M6")
    case.review("R3b", "P3", "CPP3", "2027-01-05", meeting="M7")
    case.chair("M5", "C2")
    case.chair("M6", "C2")
    case.chair("M7", "C1")
    # P4: the ICPC on 31 Dec 2025 is exactly 12 months before `to`, so outside the period:
    # one conference only, not counted.
    case.plan("CPP4", "P4", "2025-12-31")
    case.icpc("I4", "P4", "2025-12-31", plan="CPP4", meeting="M8")
    case.review("R4", "P4", "CPP4", "2026-03-31", meeting="M9")
    case.chair("M8", "C1")
    case.chair("M9", "C2")
    # P5: two conferences, only one with a chair recorded: met.
    case.plan("CPP5", "P5", "2026-02-02")
    case.icpc("I5", "P5", "2026-02-02", plan="CPP5", meeting="M10")
    case.review("R5", "P5", "CPP5", "2026-05-01", meeting="")
    case.chair("M10", "C1")
    case.load(partnership)

    result = run("chair_consistency", partnership, "2026-01-01", "2026-12-31")
    by_person = {(o.person_id, o.ref): (o.due, o.status) for o in result.obligations}
    assert by_person == {
        ("P1", REF): (None, "met"),
        ("P2", REF): (None, "breach"),
        ("P3", REF): (None, "met"),
        ("P5", REF): (None, "met"),
    }
    assert (result.met, result.breach, result.value) == (3, 1, 0.75)
    assert statuses(result)[REF][2] in ("met", "breach")
