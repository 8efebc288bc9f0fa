"""viability_qa_5wd: completed viability assessments quality-assured within 5 working days."""

from assure.indicators.tests.builders import Case, run, statuses


def test_viability_qa(partnership):
    case = Case()
    # Completed Thu 2 Apr 2026 + 5 wd = Mon 13 Apr (Good Friday 3 Apr, Easter Monday 6 Apr).
    case.viability("V1", "P1", "2026-03-23", completed="2026-04-02", qa="2026-04-13")
    case.viability("V2", "P2", "2026-03-23", completed="2026-04-02", qa="2026-04-14")
    case.viability("V3", "P3", "2026-03-23", completed="2026-04-02")
    # Completed after `to`: no obligation yet.
    case.viability("V4", "P4", "2026-06-22", completed="2026-07-01")
    case.load(partnership)

    result = run("viability_qa_5wd", partnership, "2026-04-01", "2026-06-30")
    assert statuses(result) == {
        "viability assessment V1 QA": ("2026-04-13", "2026-04-13", "met"),
        "viability assessment V2 QA": ("2026-04-13", "2026-04-14", "late"),
        "viability assessment V3 QA": ("2026-04-13", None, "overdue"),
    }
