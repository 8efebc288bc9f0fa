"""The workforce learning section of the 2026-Q3 report (as at Wednesday 30 September 2026),
against hand-built attendance, declarations and dissemination."""

from datetime import date

import pytest

from assure.reports import build, render
from assure.reports.periods import Quarter
from assure.reports.tests.conftest import TODAY
from assure.workforce.models import (
    Attendance,
    Course,
    Dissemination,
    LearningProduct,
    TrainingImport,
    WorkforceDeclaration,
)

Q3 = Quarter(2026, 3)


@pytest.fixture
def learning(partnership, council, police):
    """Council: 10 social workers declared; police: 4 in child abuse teams. CSAFE training in
    Q3: council social workers A, B (twice) and C, D booked but absent, a council school nurse
    (no workforce declared), police officer P; council E on 2 October, after the as-at day.
    A briefing shared by the council with 6 staff in August, by the police on 3 October."""
    for agency, role, headcount in ((council, "social_worker", 10), (police, "police_cae", 4)):
        WorkforceDeclaration.objects.create(
            partnership=partnership, agency=agency, role=role, headcount=headcount,
            as_of=date(2026, 6, 1),
        )  # fmt: skip
    course = Course.objects.create(partnership=partnership, title="CSAFE one-day training")
    held = TrainingImport.objects.create(
        partnership=partnership, source="x.csv", sha256="0", rows=8
    )
    for agency, role, ref, attended, day in (
        (council, "social_worker", "A", True, date(2026, 7, 7)),
        (council, "social_worker", "B", True, date(2026, 7, 7)),
        (council, "social_worker", "B", True, date(2026, 9, 1)),
        (council, "social_worker", "C", True, date(2026, 9, 1)),
        (council, "social_worker", "D", False, date(2026, 9, 1)),
        (council, "school_nurse", "N", True, date(2026, 9, 1)),
        (police, "police_cae", "P", True, date(2026, 8, 3)),
        (council, "social_worker", "E", True, date(2026, 10, 2)),
    ):
        Attendance.objects.create(
            partnership=partnership, course=course, session_date=day, agency=agency, role=role,
            attendee_ref=ref, attended=attended, training_import=held,
        )  # fmt: skip
    product = LearningProduct.objects.create(
        partnership=partnership, title="Seven-minute briefing", kind="briefing",
        published_on=date(2026, 7, 1),
    )  # fmt: skip
    for agency, day, reached in ((council, date(2026, 8, 1), 6), (police, date(2026, 10, 3), 2)):
        Dissemination.objects.create(
            partnership=partnership, product=product, agency=agency, date=day,
            methods=["team_meetings"], staff_reached=reached,
        )  # fmt: skip


def workforce_section(partnership) -> dict:
    data = build.build(partnership, Q3, TODAY)
    return next(s["content"] for s in data.sections if s["key"] == "workforce")


def test_reach_counts_distinct_attendees_against_the_declared_workforce(
    partnership, learning
) -> None:
    """Council 3 of 10 (A, B once, C; D absent; E after the as-at day) = 30%, the school
    nurse apart; police 1 of 4 = 25%; all 4 of 14."""
    (course,) = workforce_section(partnership)["courses"]
    police, council = course["by_agency"]  # by name: "Police" before "children's"
    assert (council["attendees"], council["workforce"], council["undeclared"]) == (3, 10, 1)
    assert council["share"] == pytest.approx(0.3)
    assert (police["attendees"], police["workforce"], police["share"]) == (1, 4, 0.25)
    assert (course["total"]["attendees"], course["total"]["workforce"]) == (4, 14)


def test_dissemination_by_the_as_at_day(partnership, learning) -> None:
    """Only the council had shared it by 30 September: 6 of the 14 declared = 42.9%."""
    (product,) = workforce_section(partnership)["products"]
    assert product["agencies"] == [
        {"name": "Testshire children's services", "reached": 6, "workforce": 10}
    ]
    assert product["share"] == pytest.approx(6 / 14)


def test_left_out_without_learning_in_the_quarter(partnership, learning) -> None:
    Attendance.objects.filter(session_date__lte=date(2026, 9, 30)).delete()
    Dissemination.objects.filter(date__lte=date(2026, 9, 30)).delete()
    data = build.build(partnership, Q3, TODAY)
    assert "workforce" not in [s["key"] for s in data.sections]


def test_in_the_document_and_the_digest(partnership, learning) -> None:
    data = build.build(partnership, Q3, TODAY)
    page = render.html(data, "2026-10-05T09:00:00+01:00", data.digest)
    assert "Reach of CSAFE one-day training" in page
    Dissemination.objects.filter(staff_reached=6).update(staff_reached=7)
    assert build.build(partnership, Q3, TODAY).digest != data.digest
