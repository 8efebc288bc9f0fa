"""The report's impact for every kind of measure, against hand-worked figures.

The review "Kai" had its final report on Monday 15 September 2025: its recommendations count
as accepted from then. The 2026-Q3 report is as at Wednesday 30 September 2026, so "before" is
September 2024 to August 2025 and "since" is October 2025 to September 2026 (12 months).

The two-proportion z-test: pooled share p = (m1 + m2) / (n1 + n2), standard error
sqrt(p (1 - p) (1/n1 + 1/n2)), z = (m2/n2 - m1/n1) / SE, two-sided p-value erfc(|z| / sqrt 2).
"""

from datetime import date, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assure.accounts.models import Agency, Role
from assure.core.viewer import Viewer
from assure.escalations import figures
from assure.escalations import measures as escalation_measures
from assure.reports import build, render
from assure.reports.impact import pooled_months, windows
from assure.reports.periods import Quarter
from assure.reports.tests.conftest import TODAY
from assure.reviews import measures
from assure.reviews.models import Action, ActionStatus, Recommendation, Review
from assure.selfassessment import measures as standard_measures
from assure.selfassessment import services as selfassessment
from assure.selfassessment.models import Framework, Rating, Round, StandardRating, Submission
from assure.surveys import measures as survey_measures
from assure.surveys import services as surveys
from assure.surveys.models import Kind, PractitionerRole, Survey
from assure.surveys.templates import QuestionSpec
from assure.workforce import reach
from assure.workforce.models import (
    Attendance,
    Course,
    Dissemination,
    LearningProduct,
    TrainingImport,
    WorkforceDeclaration,
)

Q3 = Quarter(2026, 3)
ACCEPTED = date(2025, 9, 15)
AS_AT = date(2026, 9, 30)
AWARE = "Are you aware of the escalation protocol?"


def at(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 10))


# ---- windows -----------------------------------------------------------------------------------


def test_windows_are_the_12_months_before_the_month_of_acceptance_and_the_months_since() -> None:
    before, since = windows(ACCEPTED, AS_AT)
    assert (before[0].label, before[-1].label, len(before)) == ("Sep 2024", "Aug 2025", 12)
    assert (since[0].label, since[-1].label, len(since)) == ("Oct 2025", "Sep 2026", 12)
    # On 29 September September is not complete: since ends with August.
    assert windows(ACCEPTED, date(2026, 9, 29))[1][-1].label == "Aug 2026"
    assert windows(date(2026, 9, 3), AS_AT)[1] == []


# ---- surveys: the latest run before against the latest run since ------------------------------


def run(manager, title: str, on: date) -> Survey:
    return surveys.create_survey(
        Viewer.of(manager),
        title=title,
        introduction="",
        questions=[QuestionSpec(Kind.YES_NO, AWARE)],
        today=on,
    )


def answer(survey: Survey, agency: Agency, yes: int, no: int) -> None:
    link = survey.links.get(agency=agency)
    question = survey.questions.get().pk
    for value in ["yes"] * yes + ["no"] * no:
        surveys.answer(link, {question: [value]}, PractitionerRole.POLICE)


@pytest.fixture
def survey_runs(manager, police) -> str:
    """1 June 2025: 10 of 20 aware (50%); 2 February 2026: 16 of 20 (80%); 3 October 2026,
    after the as-at day: 0 of 20 (left out)."""
    before = run(manager, "Awareness 2025", date(2025, 6, 1))
    answer(before, police, 10, 10)
    since = run(manager, "Awareness 2026", date(2026, 2, 2))
    answer(since, police, 16, 4)
    answer(run(manager, "Awareness late", date(2026, 10, 3)), police, 0, 20)
    return survey_measures.measure_id(before.questions.get().pk)


def test_survey_latest_run_before_against_latest_run_since(partnership, survey_runs) -> None:
    # p = 26/40 = 0.65; SE = sqrt(0.65 x 0.35 x (1/20 + 1/20)) = 0.150831;
    # z = (0.80 - 0.50) / 0.150831 = 1.989; p-value = erfc(1.989 / 1.41421) = 0.0467.
    found = survey_measures.impact(partnership.pk, survey_runs, ACCEPTED, AS_AT)
    assert found is not None
    assert (found["before"], found["since"]) == (
        "Awareness 2025, 1 June 2025",
        "Awareness 2026, 2 February 2026",
    )
    assert [(p["met"], p["counted"]) for p in found["pooled"]] == [("10", "20"), ("16", "20")]
    assert found["test"]["z"] == pytest.approx(1.989, abs=0.001)
    assert found["test"]["p_value"] == pytest.approx(0.0467, abs=0.0001)
    assert found["statement"] == (
        "Up 30 points: z = 1.99, p = 0.047, more than chance (by chance alone less than 1 time "
        "in 20)."
    )


def test_survey_without_a_run_before_or_with_small_counts_says_so(
    partnership, manager, police, survey_runs
) -> None:
    early = survey_measures.impact(partnership.pk, survey_runs, date(2025, 5, 1), AS_AT)
    assert early is not None
    assert early["test"] is None
    assert early["statement"] == (
        "No test: no survey run asked this question before the recommendation was accepted."
    )
    assert early["pooled"][0]["words"] == "no run"

    small = run(manager, "Awareness spring 2026", date(2026, 4, 1))
    answer(small, police, 3, 1)  # 4 answers: fewer than 5
    found = survey_measures.impact(partnership.pk, survey_runs, ACCEPTED, AS_AT)
    assert found is not None
    assert found["test"] is None
    assert found["statement"] == "Too few to compare without revealing small numbers."
    assert found["pooled"][1]["words"] == "not shown: fewer than 5 of fewer than 5 answering"
    assert "3" not in found["pooled"][1]["met"] + found["pooled"][1]["counted"]


# ---- a self-assessment standard ------------------------------------------------------------------


@pytest.fixture
def agencies(partnership, police, council) -> list[Agency]:
    health = Agency.objects.create(
        partnership=partnership, name="Testshire ICB", agency_type=Agency.Type.ICB
    )
    school = Agency.objects.create(
        partnership=partnership, name="Testshire Academy", agency_type=Agency.Type.EDUCATION
    )
    return [police, council, health, school]


def hand_built_round(partnership, name: str, due: date, ratings: list[tuple]) -> Round:
    """A round of the built-in Section 11 framework; `ratings`: per agency, its own rating of
    standard 5 (training), the day it submitted, and the challenge's rating and day (or None)."""
    selfassessment.ensure_builtin_frameworks(partnership)
    framework = Framework.objects.get(partnership=partnership, key="section-11")
    review = Review.objects.create(
        partnership=partnership, review_type=Review.Type.SELF_ASSESSMENT, pseudonym=name
    )
    made = Round.objects.create(
        partnership=partnership, name=name, framework=framework, due_date=due, review=review
    )
    standard = framework.standards.get(number=5)
    for agency, rating, submitted, challenged, challenged_on in ratings:
        submission = Submission.objects.create(
            round=made, agency=agency, submitted_at=at(submitted) if submitted else None
        )
        StandardRating.objects.create(
            submission=submission,
            standard=standard,
            rating=rating,
            challenged_rating=challenged or "",
            challenged_at=at(challenged_on) if challenged_on else None,
        )
    return made


FULLY, PARTLY, NOT = Rating.FULLY_MET, Rating.PARTLY_MET, Rating.NOT_MET
TRAINING = "standard:section-11:5"


@pytest.fixture
def rounds(partnership, agencies) -> list[Round]:
    """2025-26: police and council rate themselves fully met, the ICB partly, the academy not;
    the challenge (1 July 2025) moves the council to partly: 1 of 4 fully met (25%).
    2026-27: police, council and ICB fully met, the academy partly, challenged up to fully on
    10 June 2026: 4 of 4 (100%). The academy's 2026 self-rating, once submitted late on 3
    October 2026, after the as-at day, counts in a figure of that day only."""
    police, council, health, school = agencies
    return [
        hand_built_round(
            partnership,
            "Section 11 2025-26",
            date(2025, 6, 30),
            [
                (police, FULLY, date(2025, 5, 20), "", None),
                (council, FULLY, date(2025, 5, 21), PARTLY, date(2025, 7, 1)),
                (health, PARTLY, date(2025, 5, 22), "", None),
                (school, NOT, date(2025, 5, 23), "", None),
            ],
        ),
        hand_built_round(
            partnership,
            "Section 11 2026-27",
            date(2026, 6, 30),
            [
                (police, FULLY, date(2026, 5, 20), "", None),
                (council, FULLY, date(2026, 5, 21), "", None),
                (health, FULLY, date(2026, 5, 22), "", None),
                (school, PARTLY, date(2026, 5, 23), FULLY, date(2026, 6, 10)),
            ],
        ),
    ]


def test_standard_share_fully_met_after_challenge_in_the_latest_round(partnership, rounds) -> None:
    before = standard_measures.figure(partnership.pk, TRAINING, ACCEPTED)
    assert before is not None
    assert (before.round_name, before.fully_met, before.rated) == ("Section 11 2025-26", 1, 4)
    assert before.as_of == date(2025, 7, 1)  # the challenge, the last change counted
    # Before the challenge on 1 July 2025 the council's own "fully met" counted: 2 of 4.
    june = standard_measures.figure(partnership.pk, TRAINING, date(2025, 6, 15))
    assert june is not None
    assert (june.fully_met, june.rated) == (2, 4)
    # Before any submission, nothing; a standard no framework has, None.
    nothing = standard_measures.figure(partnership.pk, TRAINING, date(2025, 1, 1))
    assert nothing is not None
    assert (nothing.round_id, nothing.basis) == (None, "no round submitted yet")
    assert standard_measures.figure(partnership.pk, "standard:section-11:99", AS_AT) is None
    assert standard_measures.figure(partnership.pk, "standard:bad", AS_AT) is None

    # 1/4 against 4/4: p = 5/8 = 0.625; SE = sqrt(0.625 x 0.375 x (1/4 + 1/4)) = 0.342327;
    # z = 0.75 / 0.342327 = 2.191; p-value = erfc(2.191 / 1.41421) = 0.0285.
    found = standard_measures.impact(partnership.pk, TRAINING, ACCEPTED, AS_AT)
    assert found is not None
    assert (found["before"], found["since"]) == ("Section 11 2025-26", "Section 11 2026-27")
    assert found["test"]["z"] == pytest.approx(2.191, abs=0.001)
    assert found["test"]["p_value"] == pytest.approx(0.0285, abs=0.0001)
    assert found["statement"].startswith("Up 75 points: z = 2.19, p = 0.028, more than chance")
    assert found["title"] == (
        "Standard 5, Training (Section 11 standards): share of agencies fully met"
    )
    # Accepted after the 2026 round: no later round to compare.
    late = standard_measures.impact(partnership.pk, TRAINING, date(2026, 7, 1), AS_AT)
    assert late is not None
    assert late["statement"] == (
        "No test: no later self-assessment round has been submitted since the recommendation "
        "was accepted."
    )


def judged_reading(action: Action, today: date) -> measures.Reading:
    [found] = measures.judged(action, today)
    assert isinstance(found, measures.Reading)
    return found


def test_a_standard_is_offered_and_judges_the_embedded_rule_and_the_slip_check(
    partnership, rounds, police, learning
) -> None:
    assert (
        TRAINING,
        "Self-assessment: standard 5, Training, fully met (Section 11 standards)",
    ) in (measures.choices(partnership.pk, judged_only=True))
    review = Review.objects.create(
        partnership=partnership, review_type=Review.Type.LCSPR, pseudonym="Kai"
    )
    rec = Recommendation.objects.create(
        partnership=partnership,
        review=review,
        number=1,
        text="Train staff in the escalation protocol.",
        measures=[TRAINING],
        measure_target=80,
    )
    action = Action.objects.create(
        partnership=partnership,
        recommendation=rec,
        agency=police,
        description="Training for all",
        due_date=date(2026, 3, 31),
        status=ActionStatus.ASSURED,
        assured_at=at(date(2026, 1, 10)),
    )
    reading = judged_reading(action, AS_AT)
    # 4 of 4 after the challenge of 10 June 2026, after assurance: embedded by measure.
    assert (reading.value, reading.as_of, reading.holds) == (1.0, date(2026, 6, 10), True)
    assert reading.basis == "Section 11 2026-27: 4 of 4 agencies fully met, after challenge"
    # As at 30 May 2026 the academy's own "partly met" counted: 3 of 4 = 75%, below 80%.
    may = judged_reading(action, date(2026, 5, 30))
    assert (may.value, may.holds, may.slipped_since(date(2026, 5, 1))) == (0.75, False, True)
    assert "is 75% against a target of 80%" in may.shortfall
    # As at 1 January 2026 the figure is the 2025 round's, from before assurance.
    old = judged_reading(action, date(2026, 1, 1))
    assert (old.value, old.holds, old.slipped_since(date(2026, 1, 10))) == (0.25, False, False)


def test_the_review_page_shows_a_standard_to_those_who_may_see_self_assessments(
    client, partnership, rounds, manager, make_user, police
) -> None:
    review = Review.objects.create(
        partnership=partnership, review_type=Review.Type.LCSPR, pseudonym="Kai"
    )
    Recommendation.objects.create(
        partnership=partnership, review=review, number=1, text="Train.", measures=[TRAINING]
    )
    client.force_login(manager)
    page = client.get(reverse("reviews:detail", args=[review.pk])).content.decode()
    assert "Standard 5, Training (Section 11 standards): share of agencies fully met" in page
    assert "4 of 4 agencies fully met, after challenge" in page
    # A quality auditor may see the review but not self-assessments: the measure's id only.
    auditor = make_user(Role.QUALITY_AUDITOR, agency=police, username="auditor")
    client.force_login(auditor)
    response = client.get(reverse("reviews:detail", args=[review.pk]))
    assert response.status_code in (200, 403)
    assert "agencies fully met" not in response.content.decode()


# ---- workforce: a course's reach and a product's dissemination ----------------------------------


@pytest.fixture
def learning_records(partnership, council) -> dict[str, str]:
    """Council: 10 social workers declared on 1 June 2024. The course: A, B, C in the 12 months
    before (A twice) = 3 of 10; A, D, E, F, G, H, I since = 7 of 10; J booked, absent. The
    briefing: 3 staff reached on 1 August 2025, 5 more on 1 March 2026."""
    WorkforceDeclaration.objects.create(
        partnership=partnership, agency=council, role="social_worker", headcount=10,
        as_of=date(2024, 6, 1),
    )  # fmt: skip
    course = Course.objects.create(partnership=partnership, title="Escalation training")
    held = TrainingImport.objects.create(
        partnership=partnership, source="x.csv", sha256="0", rows=14
    )
    for ref, attended, day in (
        ("A", True, date(2024, 10, 7)),
        ("A", True, date(2025, 3, 3)),
        ("B", True, date(2025, 3, 3)),
        ("C", True, date(2025, 8, 29)),
        ("Z", True, date(2025, 9, 20)),  # the month of acceptance: in neither window
        ("J", False, date(2025, 11, 5)),
        *((r, True, date(2026, 2, 4)) for r in "ADEFGHI"),
    ):
        Attendance.objects.create(
            partnership=partnership, course=course, session_date=day, agency=council,
            role="social_worker", attendee_ref=ref, attended=attended, training_import=held,
        )  # fmt: skip
    product = LearningProduct.objects.create(
        partnership=partnership, title="Seven-minute briefing", kind="briefing",
        published_on=date(2025, 7, 1),
    )  # fmt: skip
    for day, reached in ((date(2025, 8, 1), 3), (date(2026, 3, 1), 5)):
        Dissemination.objects.create(
            partnership=partnership, product=product, agency=council, date=day,
            methods=["team_meetings"], staff_reached=reached,
        )  # fmt: skip
    return {"course": f"course:{course.pk}", "product": f"product:{product.pk}"}


def test_course_reach_before_and_since(partnership, learning_records) -> None:
    # 3/10 against 7/10: p = 0.5; SE = sqrt(0.25 x 0.2) = 0.223607; z = 0.4 / 0.223607 = 1.789;
    # p-value = erfc(1.789 / 1.41421) = 0.0736: could be chance, about 7 times in 100.
    found = reach.course_impact(partnership.pk, learning_records["course"], ACCEPTED, AS_AT)
    assert found is not None
    assert [(p["met"], p["counted"]) for p in found["pooled"]] == [("3", "10"), ("7", "10")]
    assert found["statement"] == (
        "Up 40 points: z = 1.79, p = 0.074, could be chance (about 7 times in 100)."
    )
    by_month = {m["month"]: (m["value"], m["counted"]) for m in found["months"]}
    assert by_month["Aug 2025"] == (0.3, "10")  # A, B, C in Sep 2024 to Aug 2025
    # October 2025: Nov 2024 to Oct 2025, A (in March), B, C and Z (the month of acceptance).
    assert by_month["Oct 2025"] == (0.4, "10")
    assert by_month["Feb 2026"] == (1.0, "10")  # A, B, C, Z and D to I
    assert "Sep 2025" not in by_month  # the month of acceptance is in neither window
    assert len(found["months"]) == 24
    # Accepted 15 June 2026: 3 complete months since, too few for a 12-month reach.
    soon = reach.course_impact(partnership.pk, learning_records["course"], date(2026, 6, 15), AS_AT)
    assert soon is not None
    assert soon["test"] is None
    assert soon["statement"].endswith(
        "No test yet: reach counts attendees over 12 months, and 3 complete months have passed "
        "since the recommendation was accepted."
    )


def test_product_dissemination_is_compared_not_tested(partnership, learning_records) -> None:
    found = reach.product_impact(partnership.pk, learning_records["product"], ACCEPTED, AS_AT)
    assert found is not None
    assert (found["before"], found["since"]) == ("by 15 Sep 2025", "by 30 Sep 2026")
    assert [(p["met"], p["counted"]) for p in found["pooled"]] == [("3", "10"), ("8", "10")]
    assert found["test"] is None
    assert found["statement"] == (
        "Up 50 points. No test of chance: dissemination is cumulative, so the later figure "
        "includes the staff reached before."
    )
    by_month = {m["month"]: m["value"] for m in found["months"]}
    assert (by_month["Jul 2025"], by_month["Aug 2025"], by_month["Mar 2026"]) == (0.0, 0.3, 0.8)


# ---- months pooled: audit grades and escalation figures ------------------------------------------


def test_months_pooled_with_small_counts_hidden() -> None:
    """Before: each of 12 months 6 of 10 = 72 of 120 (60%); since: each 8 of 10 = 96 of 120
    (80%). p = 168/240 = 0.7; SE = sqrt(0.7 x 0.3 x (2/120)) = 0.0591608; z = 0.2 / 0.0591608
    = 3.381; p-value = 0.00072."""
    before, since = windows(ACCEPTED, AS_AT)
    counts = {m.start: (6, 10) for m in before} | {m.start: (8, 10) for m in since}
    found = pooled_months({"id": "x", "title": "X", "target": 0.8}, before, since, counts,
                          nothing_before="none before", nothing_since="none since")  # fmt: skip
    assert [(p["met"], p["counted"]) for p in found["pooled"]] == [("72", "120"), ("96", "120")]
    assert found["test"]["z"] == pytest.approx(3.381, abs=0.001)
    assert found["statement"].startswith("Up 20 points: z = 3.38, p = < 0.001, more than chance")

    # October 2025 with 2 of 3 is hidden, and so is a second month since, or the pooled
    # figures less the other months would give it away.
    counts[since[0].start] = (2, 3)
    found = pooled_months({"id": "x", "title": "X", "target": 0.8}, before, since, counts,
                          nothing_before="none before", nothing_since="none since")  # fmt: skip
    hidden = [m["month"] for m in found["months"][12:] if not m["shown"]]
    assert hidden[0] == "Oct 2025"
    assert len(hidden) >= 2
    assert all(m["value"] is None for m in found["months"] if not m["shown"])
    # Nothing at all since: said plainly.
    empty = pooled_months({"id": "x", "title": "X", "target": 0.8}, before, [], counts,
                          nothing_before="none before", nothing_since="none since")  # fmt: skip
    assert (empty["statement"], empty["test"]) == ("none since", None)


def test_escalation_counts_of_each_measure() -> None:
    found = figures.Figures(
        date(2026, 1, 1),
        date(2026, 1, 31),
        resolved=8,
        resolved_at_stage_1=6,
        stages={1: {"met": 5, "late": 2, "overdue": 1}, 2: {"met": 1, "late": 0, "overdue": 1}},
    )
    assert escalation_measures.counts("escalation:resolved_stage_1", found) == (6, 8)
    assert escalation_measures.counts("escalation:stages_on_time", found) == (6, 10)


def test_escalation_impact_with_nothing_recorded_says_so(partnership) -> None:
    found = escalation_measures.impact(
        partnership.pk, "escalation:resolved_stage_1", ACCEPTED, AS_AT
    )
    assert found is not None
    assert found["statement"] == (
        "No test: nothing counted yet in a complete month since the recommendation was accepted."
    )
    assert found["months"] == []  # no table of empty months
    assert escalation_measures.impact(partnership.pk, "escalation:nothing", ACCEPTED, AS_AT) is None


# ---- in the report -------------------------------------------------------------------------------


def test_the_report_compares_every_kind_and_its_digest_is_stable(
    partnership, survey_runs, rounds, learning_records
) -> None:
    review = Review.objects.create(
        partnership=partnership,
        review_type=Review.Type.LCSPR,
        pseudonym="Kai",
        final_received=ACCEPTED,
        created_at=at(date(2025, 1, 6)),
    )
    Recommendation.objects.create(
        partnership=partnership,
        review=review,
        number=1,
        text="Raise awareness of the protocol.",
        measures=[survey_runs, TRAINING, learning_records["course"], "audit:none"],
        measure_target=70,
    )
    first = build.build(partnership, Q3, TODAY)
    content = next(s["content"] for s in first.sections if s["key"] == "reviews")
    [kai] = content["reviews"]
    impact = {m["id"]: m for m in kai["impact"]}
    assert list(impact) == [survey_runs, TRAINING, learning_records["course"], "audit:none"]
    assert impact["audit:none"]["missing"] == "It no longer names anything of the partnership's."
    assert impact[survey_runs]["target"] == 0.7  # the recommendation's
    assert impact[TRAINING]["statement"].startswith("Up 75 points")
    assert impact[learning_records["course"]]["target"] == 0.8  # the course's own
    assert impact[survey_runs]["recommendations"] == [1]
    [table] = content["measures"]
    assert table["id"] == learning_records["course"]
    assert table["about"].startswith("Each month: distinct attendees")

    assert build.build(partnership, Q3, TODAY).digest == first.digest
    html = render.html(first, "2026-10-05 09:00", first.digest)
    assert "Up 30 points: z = 1.99, p = 0.047" in html
    assert "Reach of the course “Escalation training” by month" in html


def test_audit_grades_pooled_by_month_audited(partnership, make_user) -> None:
    """The plan tool: March 2025, 10 audits, 5 good or outstanding (50%); March 2026, 20
    audits, 15 good or outstanding (75%); one more of March 2026 finished on 2 October 2026,
    after the as-at day, is not counted. p = 20/30; SE = sqrt(2/3 x 1/3 x (1/10 + 1/20)) =
    0.182574; z = 0.25 / 0.182574 = 1.369; p-value = erfc(1.369 / 1.41421) = 0.171."""
    from assure.audits import measures as audit_measures
    from assure.audits.models import Audit, Programme, Tool
    from assure.audits.tools import ensure_builtin_tools

    ensure_builtin_tools(partnership)
    tool = Tool.objects.get(partnership=partnership, slug="cp-plan-quality")
    auditor = make_user(Role.QUALITY_AUDITOR, username="ann")
    for month, grades_given, finished in (
        (date(2025, 3, 1), ["good"] * 3 + ["outstanding"] * 2 + ["inadequate"] * 5, None),
        (date(2026, 3, 1), ["good"] * 15 + ["requires improvement"] * 5, None),
        (date(2026, 3, 1), ["inadequate"], date(2026, 10, 2)),
    ):
        programme = Programme.objects.create(
            partnership=partnership, tool_version=tool.latest_version(), month=month,
            per_team=2, seed=1, created_by=auditor,
        )  # fmt: skip
        for n, grade in enumerate(grades_given):
            Audit.objects.create(
                programme=programme, partnership=partnership, person_id=f"P{month}{n}",
                team="East", auditor=auditor, due_date=month, status=Audit.Status.FINISHED,
                overall_grade=grade, finished_at=at(finished or month),
            )  # fmt: skip
    found = audit_measures.impact(partnership.pk, "audit:cp-plan-quality", ACCEPTED, AS_AT)
    assert found is not None
    assert [(p["met"], p["counted"]) for p in found["pooled"]] == [("5", "10"), ("15", "20")]
    assert found["test"]["z"] == pytest.approx(1.369, abs=0.001)
    assert found["statement"] == (
        "Up 25 points: z = 1.37, p = 0.171, could be chance (about 17 times in 100)."
    )
    by_month = {m["month"]: (m["value"], m["counted"]) for m in found["months"]}
    assert (by_month["Mar 2025"], by_month["Mar 2026"]) == ((0.5, "10"), (0.75, "20"))
    assert by_month["Apr 2025"] == (None, "0")
    # Shown and reported, never judged: not offered as an action's own measure.
    assert "audit:cp-plan-quality" in dict(measures.choices(partnership.pk))
    assert "audit:cp-plan-quality" not in dict(measures.choices(partnership.pk, judged_only=True))


def test_a_hidden_pooled_share_never_reads_not_shown_twice() -> None:
    from assure.reports.impact import pooled_words

    assert pooled_words(None, "12") == "not shown (12 counted)"
    assert pooled_words(None, "fewer than 5") == "not shown"
    assert pooled_words(None, "not shown") == "not shown"
    assert pooled_words(None, "0") == "nothing counted"
    assert pooled_words(None, "0", "no run") == "no run"
    assert pooled_words(0.6, "120") == ""  # the share is shown


def test_the_report_shows_the_words_the_pooled_figures_carry() -> None:
    """The impact table shows a share of its count, else the entry's words, deciding none."""
    from django.template.loader import render_to_string

    from assure.reports.impact import Side, compare

    entry = compare(
        {"id": "x", "title": "Plans on time", "target": 0.8},
        Side("Jan 2025 to Dec 2025", 6, 10),
        Side("Jan 2026", hidden=True, words="not shown (12 counted)"),
        nothing_before="",
        nothing_since="",
    )
    review = {"title": "LCSPR: Alex", "recommendations": [], "decisions": [], "impact": [entry]}
    html = render_to_string(
        "reports/sections/reviews.html",
        {"content": {"rag_rule": "", "reviews": [review], "measures": []}},
    )
    assert "60% of 10<br>" in html
    assert "not shown (12 counted)<br>" in html
