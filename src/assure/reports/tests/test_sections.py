"""The surveys, escalations and commissioned services sections of the 2026-Q3 report (today
Monday 5 October 2026, so the report is as at Wednesday 30 September), against hand-built
data; each is left out when it has nothing, and the digest covers them."""

import json
from datetime import date

import pytest

from assure.escalations.models import (
    Commission,
    CommissionedService,
    Escalation,
    Referrals,
    ServiceReturn,
    Stage,
)
from assure.reports import build
from assure.reports.periods import Quarter
from assure.reports.tests.conftest import TODAY, at
from assure.surveys.models import Answer, Kind, PractitionerRole, Question, Response, Survey

Q3 = Quarter(2026, 3)
CONFIDENT = "I feel confident to challenge another agency."
AWARE = "Are you aware of the escalation protocol?"


def section(data: build.ReportData, key: str) -> dict:
    return next(s["content"] for s in data.sections if s["key"] == key)


def keys(data: build.ReportData) -> list[str]:
    return [s["key"] for s in data.sections]


# ---- surveys ---------------------------------------------------------------------------------


def make_survey(partnership, title: str, made: date) -> Survey:
    survey = Survey.objects.create(partnership=partnership, title=title, created_on=made)
    Question.objects.create(survey=survey, number=1, kind=Kind.LIKERT, text=CONFIDENT)
    Question.objects.create(survey=survey, number=2, kind=Kind.YES_NO, text=AWARE)
    Question.objects.create(survey=survey, number=3, kind=Kind.TEXT, text="What would help?")
    return survey


def respond(survey: Survey, agency, on: date, answers: dict[int, str], n: int = 1) -> None:
    questions = {q.number: q for q in survey.questions.all()}
    for _ in range(n):
        response = Response.objects.create(
            survey=survey, agency=agency, role=PractitionerRole.SOCIAL_WORKER, answered_on=on
        )
        for number, value in answers.items():
            Answer.objects.create(
                response=response,
                question=questions[number],
                survey=survey,
                agency=agency,
                role=response.role,
                value=value,
            )


@pytest.fixture
def two_runs(partnership, council):
    """The previous run (March): 8 of 20 agreeing (4 "Agree", 4 "Strongly agree", 12
    "Disagree"). This run (July): 24 of 30 agreeing (12 and 12, 6 "Disagree"), 27 yes and 3
    no, a free text answer; and 5 more answers on 2 October, after the as-at day."""
    before = make_survey(partnership, "Challenge survey, spring", date(2026, 3, 1))
    respond(before, council, date(2026, 3, 10), {1: "4", 2: "yes"}, 4)
    respond(before, council, date(2026, 3, 10), {1: "5", 2: "yes"}, 4)
    respond(before, council, date(2026, 3, 10), {1: "2", 2: "yes"}, 12)
    after = make_survey(partnership, "Challenge survey, summer", date(2026, 7, 15))
    respond(after, council, date(2026, 7, 20), {1: "4", 2: "yes"}, 12)
    respond(after, council, date(2026, 7, 20), {1: "5", 2: "yes"}, 12)
    respond(after, council, date(2026, 7, 21), {1: "2", 2: "yes"}, 3)
    respond(after, council, date(2026, 7, 21), {1: "2", 2: "no", 3: "Secret words"}, 3)
    respond(after, council, date(2026, 10, 2), {1: "1", 2: "no"}, 5)
    return before, after


def test_surveys_section_shares_comparison_and_test(partnership, two_runs) -> None:
    """This run: 24 of 30 = 80%; before 8 of 20 = 40%. Pooled 32/50 = 0.64; standard error
    sqrt(0.64 * 0.36 * (1/20 + 1/30)) = sqrt(0.0192) = 0.13856; z = 0.4 / 0.13856 = 2.887;
    p = erfc(2.887 / sqrt 2) = 0.0039."""
    content = section(build.build(partnership, Q3, TODAY), "surveys")
    (survey,) = content["surveys"]  # the spring run was neither made nor answered in Q3
    assert survey["title"] == "Challenge survey, summer"
    assert survey["responses"] == "30"  # the 5 of 2 October come after the as-at day
    assert survey["previous"]["title"] == "Challenge survey, spring"
    confident, aware = survey["questions"]  # the free text question is not there
    assert confident["share"] == pytest.approx(0.8)
    assert (confident["agreeing"]["value"], confident["answering"]["value"]) == (24, 30)
    previous = confident["previous"]
    assert previous["share"] == pytest.approx(0.4)
    assert previous["change_points"] == pytest.approx(40)
    assert previous["z"] == pytest.approx(2.887, abs=1e-3)
    assert previous["p_value"] == pytest.approx(0.0039, abs=1e-4)
    assert "Unlikely to be chance" in previous["words"]
    # 3 "no" is below 5, so it is hidden and so is the 27 "yes" it could be worked out from.
    assert aware["share"] is None
    assert aware["agreeing"] == {"value": None, "words": "not shown"}
    # "yes" before was 20 of 20 and now 27 of 30, but 3 "no" hides nothing in the comparison's
    # totals, so it is tested as on the comparison page.
    assert aware["previous"]["answering"]["value"] == 20
    assert "Secret words" not in json.dumps(build.canonical(content))


def test_surveys_section_left_out_without_a_survey_in_the_quarter(partnership, council) -> None:
    survey = make_survey(partnership, "Old survey", date(2026, 3, 1))
    respond(survey, council, date(2026, 3, 10), {1: "4", 2: "yes"}, 6)
    assert "surveys" not in keys(build.build(partnership, Q3, TODAY))


# ---- escalations -----------------------------------------------------------------------------


def escalation(partnership, reference, by, about, raised, category, stages, outcome="", ended=None):
    found = Escalation.objects.create(
        partnership=partnership,
        reference=reference,
        raised_by_agency=by,
        about_agency=about,
        child_id="CHILD-123",
        category=category,
        concern="Secret concern",
        raised_date=raised,
        outcome=outcome,
        ended_date=ended,
    )
    for number, (started, due, done) in enumerate(stages, start=1):
        Stage.objects.create(
            escalation=found,
            partnership=partnership,
            number=number,
            started=started,
            due=due,
            ended=done,
        )
    return found


@pytest.fixture
def escalations(partnership, police, council):
    """E1, raised Wed 1 July by the police, resolved at stage 1 on Fri 10 July (7 working days:
    2, 3, 6 to 10 July); E2, raised 3 August by the council, stage 1 ended 20 August after its
    due date of 17 August (late), stage 2 due 3 September and not ended (overdue); E3, raised
    Mon 15 June (before the quarter), resolved at stage 2 on Mon 13 July, its due date (met),
    20 working days; E4 raised 1 October, after the as-at day."""
    d = date
    escalation(partnership, "E1", police, council, d(2026, 7, 1), "threshold",
               [(d(2026, 7, 1), d(2026, 7, 15), d(2026, 7, 10))],
               "resolved_agreed", d(2026, 7, 10))  # fmt: skip
    e2 = escalation(partnership, "E2", council, police, d(2026, 8, 3), "information_sharing",
                    [(d(2026, 8, 3), d(2026, 8, 17), d(2026, 8, 20)),
                     (d(2026, 8, 20), d(2026, 9, 3), None)])  # fmt: skip
    escalation(partnership, "E3", police, council, d(2026, 6, 15), "threshold",
               [(d(2026, 6, 15), d(2026, 6, 29), d(2026, 6, 29)),
                (d(2026, 6, 29), d(2026, 7, 13), d(2026, 7, 13))],
               "resolved_changed", d(2026, 7, 13))  # fmt: skip
    escalation(partnership, "E4", police, council, d(2026, 10, 1), "plan",
               [(d(2026, 10, 1), d(2026, 10, 15), None)])  # fmt: skip
    return e2


def test_escalations_section_counts_the_quarter(partnership, escalations) -> None:
    content = section(build.build(partnership, Q3, TODAY), "escalations")
    assert (content["raised"], content["ended"], content["resolved"]) == (2, 2, 2)
    assert content["resolved_at_stage_1"] == 1
    assert content["median_working_days"] == pytest.approx(13.5)  # of 7 and 20
    assert content["stages"] == [
        {"stage": 1, "met": 1, "late": 1, "overdue": 0},
        {"stage": 2, "met": 1, "late": 0, "overdue": 1},
    ]
    assert content["by_raising_agency"] == [
        {"name": "Testshire Police", "count": 1},
        {"name": "Testshire children's services", "count": 1},
    ]
    assert content["by_category"] == [
        {"name": "Information sharing", "count": 1},
        {"name": "Threshold for a service", "count": 1},
    ]
    text = json.dumps(build.canonical(content))
    assert "CHILD-123" not in text
    assert "Secret concern" not in text


def test_escalations_in_the_digest(partnership, escalations) -> None:
    first = build.build(partnership, Q3, TODAY).digest
    Stage.objects.filter(escalation=escalations, number=2).update(ended=date(2026, 9, 2))
    assert build.build(partnership, Q3, TODAY).digest != first


# ---- commissioned services -------------------------------------------------------------------


@pytest.fixture
def services(partnership, council, police, police_lead):
    """Family Help (from 2025): returns for Q3 2026 (signed off on 2 October, after the as-at
    day), Q2 2026, Q3 2025 (older than four quarters) and Q4 2026 (later); Old Service ended in
    June; New Service has no return."""
    family = CommissionedService.objects.create(
        partnership=partnership,
        name="Family Help",
        provider=council,
        contract_start=date(2025, 1, 1),
        offer_link="https://example.org/offer",
        escalation_route_link="https://example.org/route",
    )
    CommissionedService.objects.create(
        partnership=partnership,
        name="Old Service",
        provider=council,
        contract_start=date(2024, 1, 1),
        contract_end=date(2026, 6, 30),
        offer_link="https://example.org/offer",
        escalation_route_link="https://example.org/route",
    )
    CommissionedService.objects.create(
        partnership=partnership,
        name="New Service",
        provider=police,
        contract_start=date(2026, 9, 1),
        offer_link="https://example.org/offer",
        escalation_route_link="https://example.org/route",
    )

    def give(quarter: date, received: int, accepted: int, **extra) -> ServiceReturn:
        made = ServiceReturn.objects.create(
            service=family,
            partnership=partnership,
            quarter=quarter,
            narrative="Synthetic",
            submitted_by=police_lead,
            submitted_at=at(quarter),
            **extra,
        )
        Referrals.objects.create(
            service_return=made, referrer=police, received=received, accepted=accepted
        )
        return made

    q3 = give(date(2026, 7, 1), 10, 8, status="signed_off", decided_at=at(date(2026, 10, 2)))
    for due, delivered in (
        (date(2026, 7, 20), date(2026, 7, 18)),  # met
        (date(2026, 8, 31), date(2026, 9, 2)),  # late
        (date(2026, 9, 25), None),  # overdue
        (date(2026, 10, 15), None),  # due after the quarter: upcoming, not counted
    ):
        Commission.objects.create(
            service_return=q3, kind="assessment", requested=date(2026, 7, 1), due=due,
            delivered=delivered,
        )  # fmt: skip
    give(date(2026, 4, 1), 5, 5, status="signed_off", decided_at=at(date(2026, 7, 10)))
    give(date(2025, 7, 1), 3, 3)
    give(date(2026, 10, 1), 7, 7)
    return q3


def test_services_section(partnership, services) -> None:
    content = section(build.build(partnership, Q3, TODAY), "services")
    family, new = content["services"]  # Old Service's contract ended before the quarter
    assert family["status"] == "Awaiting sign-off"  # signed off after 30 September
    quarter = family["quarter"]
    assert (quarter["received"], quarter["accepted"]) == (10, 8)
    assert (quarter["met"], quarter["late"], quarter["overdue"]) == (1, 1, 1)
    assert quarter["on_time"] == pytest.approx(1 / 3)
    assert [q["quarter"] for q in family["trend"]] == ["Apr–Jun 2026", "Jul–Sep 2026"]
    assert (new["name"], new["status"], new["trend"]) == ("New Service", "No return yet", [])


def test_services_status_once_decided_in_the_quarter(partnership, services) -> None:
    services.decided_at = at(date(2026, 9, 30), 16)
    services.save()
    content = section(build.build(partnership, Q3, TODAY), "services")
    assert content["services"][0]["status"] == "Signed off"


def test_new_sections_left_out_when_empty(partnership) -> None:
    assert keys(build.build(partnership, Q3, TODAY)) == ["summary"]


def test_new_sections_in_the_documents(partnership, two_runs, escalations, services) -> None:
    from assure.reports import render

    data = build.build(partnership, Q3, TODAY)
    assert keys(data) == ["summary", "surveys", "escalations", "services"]
    page = render.html(data, "2026-10-05T09:00:00+01:00", data.digest)
    assert "Practitioner surveys" in page
    assert "Commissioned services" in page
    assert "+40 percentage points" in page
    assert "Secret" not in page
    assert "CHILD-123" not in page
