"""A survey question or an escalation figure as a recommendation's measure: its latest figure
against the recommendation's target decides "embedded by measure" and the slip check.

Hand-worked figures. The police action is assured on Thu 15 Jan 2026. The survey question is
yes/no "Are you aware of the escalation protocol?":
- an old run of 1 Jun 2025: 10 of 10 yes (100%), before assurance;
- the run of 2 Feb 2026: 9 of 12 yes = 75% (below 80%), then 3 more yes: 12 of 15 = 80%;
- a run of 1 Mar 2026 with no answers yet is skipped (not the latest answered run).
"""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.timezone import now as timezone_now

from assure.accounts.models import Agency
from assure.core.models import AuditEvent
from assure.core.viewer import Viewer
from assure.escalations import services as escalations
from assure.reviews import measures, report
from assure.reviews.models import Action, ActionStatus, Recommendation
from assure.reviews.services import MoveDetails, SeenNote, check_embedded_measures, move_action
from assure.surveys import measures as survey_measures
from assure.surveys import services as surveys
from assure.surveys.models import Kind, PractitionerRole, Survey
from assure.surveys.templates import TEMPLATES, QuestionSpec

AWARE = "Are you aware of the escalation protocol?"
FIND = "I know where to find the escalation protocol."
QUESTIONS = [QuestionSpec(Kind.YES_NO, AWARE), QuestionSpec(Kind.LIKERT, FIND)]
SEEN = SeenNote("Protocol briefings held", "A. Auditor", date(2026, 1, 5))


def run(manager, title: str, on: date) -> Survey:
    return surveys.create_survey(
        Viewer.of(manager), title=title, introduction="", questions=QUESTIONS, today=on
    )


def answer(survey: Survey, agency: Agency, yes: int, no: int, likert: str = "4") -> None:
    link = survey.links.get(agency=agency)
    aware, find = (q.pk for q in survey.questions.order_by("number"))
    for value in ["yes"] * yes + ["no"] * no:
        surveys.answer(link, {aware: [value], find: [likert]}, PractitionerRole.POLICE)


def question_measure(survey: Survey) -> str:
    return survey_measures.measure_id(survey.questions.get(number=1).pk)


@pytest.fixture
def runs(manager, police, council) -> dict[str, Survey]:
    old = run(manager, "Escalation awareness 2025", date(2025, 6, 1))
    answer(old, police, 10, 0)
    current = run(manager, "Escalation awareness 2026", date(2026, 2, 2))
    answer(current, police, 7, 3)
    answer(current, council, 2, 0)
    run(manager, "Escalation awareness 2026 (second)", date(2026, 3, 1))  # no answers yet
    return {"old": old, "current": current}


@pytest.fixture
def assured(police_action, police_lead, learning, recommendation) -> Action:
    move_action(
        Viewer.of(police_lead), police_action, "implement", MoveDetails("Done", notes=[SEEN])
    )
    with time_machine.travel("2026-01-15 11:00Z", tick=False):
        move_action(
            Viewer.of(learning), police_action, "assure", MoveDetails(evidence_examined="Seen")
        )
    return Action.objects.get(pk=police_action.pk)


def link(recommendation: Recommendation, measure: str, target: int = 80) -> None:
    recommendation.measures = [measure]
    recommendation.measure_target = target
    recommendation.save()


def embed(learning, action: Action) -> None:
    move_action(Viewer.of(learning), action, "embed", MoveDetails(embedded_basis="measure"))


def test_the_share_comes_from_the_latest_answered_run_asking_the_question(
    partnership, runs
) -> None:
    measure = question_measure(runs["old"])  # chosen from the old run, it follows later runs
    share = survey_measures.shares(partnership.pk, [measure], date(2026, 3, 10))[measure]
    assert (share.survey_title, share.run_on) == ("Escalation awareness 2026", date(2026, 2, 2))
    assert (str(share.agreeing), str(share.answering), share.value) == ("9", "12", 0.75)
    assert share.measure == "answering yes"
    # As at the end of 2025 only the old run had been answered: 10 of 10.
    earlier = survey_measures.shares(partnership.pk, [measure], date(2025, 12, 31))[measure]
    assert (earlier.survey_title, earlier.value) == ("Escalation awareness 2025", 1.0)


def test_a_likert_question_counts_4_and_5_as_agreeing(partnership, manager, police) -> None:
    survey = run(manager, "Likert", date(2026, 2, 2))
    for likert in "5544321":  # 4 agreeing of 7
        answer(survey, police, 1, 0, likert=likert)
    survey_likert = survey_measures.measure_id(survey.questions.get(number=2).pk)
    share = survey_measures.shares(partnership.pk, [survey_likert], date(2026, 2, 2))
    assert str(share[survey_likert].agreeing) == "fewer than 5"  # 4 agreeing: not shown
    assert share[survey_likert].value is None
    answer(survey, police, 1, 0, likert="4")  # 5 of 8 = 62.5%
    share = survey_measures.shares(partnership.pk, [survey_likert], date(2026, 2, 2))
    assert (share[survey_likert].measure, share[survey_likert].value) == (
        "agreeing (4 or 5)",
        0.625,
    )


def test_a_share_on_fewer_than_5_answers_is_not_shown_and_not_met(
    partnership, manager, police, recommendation
) -> None:
    survey = run(manager, "Small", date(2026, 2, 2))
    answer(survey, police, 4, 0)  # 4 of 4 yes: 100%, but on 4 answers
    measure = question_measure(survey)
    [reading] = measures.readings(partnership.pk, [measure], date(2026, 2, 3)).values()
    assert (reading.hidden, reading.value, reading.at_target) == (True, None, False)
    assert reading.basis == "Small, 2 February 2026: fewer than 5 of fewer than 5 answering yes"


def test_embedded_by_a_survey_measure_needs_its_latest_run_at_target(
    runs, police, assured, learning, recommendation
) -> None:
    link(recommendation, question_measure(runs["current"]))
    with time_machine.travel("2026-03-10 09:00Z"), pytest.raises(ValidationError) as refused:
        embed(learning, assured)
    assert refused.value.message_dict["embedded_basis"] == [
        "“Survey: Are you aware of the escalation protocol?” is 75% against a target of 80% "
        "(Escalation awareness 2026, 2 February 2026: 9 of 12 answering yes), or record a "
        "judgement with your reasons."
    ]
    answer(runs["current"], police, 3, 0)  # 12 of 15 = 80%: at target
    with time_machine.travel("2026-03-10 09:00Z"):
        embed(learning, assured)
    assert Action.objects.get(pk=assured.pk).status == ActionStatus.EMBEDDED


def test_a_run_from_before_assurance_does_not_show_it_embedded(
    partnership, manager, police, assured, learning, recommendation
) -> None:
    before = run(manager, "Before", date(2026, 1, 5))
    answer(before, police, 10, 0)  # 100%, but run before the 15 January assurance
    link(recommendation, question_measure(before))
    with time_machine.travel("2026-03-10 09:00Z"), pytest.raises(ValidationError) as refused:
        embed(learning, assured)
    assert "comes from before the action was assured (Before, 5 January 2026" in str(refused.value)


def test_a_later_run_below_target_raises_the_embedded_action(
    partnership, manager, police, runs, assured, learning, recommendation
) -> None:
    answer(runs["current"], police, 3, 0)  # 80%
    link(recommendation, question_measure(runs["current"]))
    with time_machine.travel("2026-03-10 09:00Z"):
        embed(learning, assured)
    assert check_embedded_measures(partnership, date(2026, 3, 11)) == []  # still 80%
    later = run(manager, "Escalation awareness 2026 (June)", date(2026, 6, 1))
    answer(later, police, 5, 5)  # 50%
    with time_machine.travel("2026-06-10 09:00Z"):
        assert check_embedded_measures(partnership, date(2026, 6, 10)) == [assured]
    assert Action.objects.get(pk=assured.pk).slipped_on == date(2026, 6, 10)
    event = AuditEvent.objects.filter(summary__startswith="Raised for review").get()
    assert event.changes["measures"] == {
        question_measure(runs["current"]): ["2026-06-01", 0.5, 0.8]
    }


def resolve(manager, police, council, raised: date, *, at_stage: int) -> None:
    viewer = Viewer.of(manager)
    escalation = escalations.record_escalation(
        viewer, raised_by_agency=police, about_agency=council, category="threshold",
        raised_date=raised, today=raised,
    )  # fmt: skip
    if at_stage == 2:
        escalations.escalate(viewer, escalation, raised, today=raised)
    escalations.end_escalation(
        viewer, escalation, outcome="resolved_agreed", ended=raised, learning="Agreed",
        today=raised,
    )  # fmt: skip


def test_an_escalation_measure_decides_embedded_and_slips(
    partnership, manager, police, council, assured, learning, recommendation
) -> None:
    """Resolved at stage 1 over the twelve months to the day: 1 of 2 = 50% (target 50%), then
    1 of 3 = 33% once another is resolved at stage 2."""
    link(recommendation, "escalation:resolved_stage_1", target=50)
    resolve(manager, police, council, date(2026, 2, 3), at_stage=1)
    resolve(manager, police, council, date(2026, 2, 4), at_stage=2)
    with time_machine.travel("2026-03-10 09:00Z"):
        embed(learning, assured)
    assert Action.objects.get(pk=assured.pk).status == ActionStatus.EMBEDDED
    resolve(manager, police, council, date(2026, 3, 12), at_stage=2)
    with time_machine.travel("2026-03-13 09:00Z"):
        assert check_embedded_measures(partnership, date(2026, 3, 13)) == [assured]
    event = AuditEvent.objects.filter(summary__startswith="Raised for review").get()
    assert event.changes["measures"] == {"escalation:resolved_stage_1": ["2026-03-13", 1 / 3, 0.5]}


def test_the_pickers_offer_survey_questions_once_from_their_latest_run(
    client, partnership, police, runs, manager, learning, assured, recommendation, review
) -> None:
    latest = survey_measures.measure_id(
        Survey.objects.get(title="Escalation awareness 2026 (second)").questions.get(number=1).pk
    )
    choices = dict(measures.choices(partnership.pk))
    assert choices[latest] == (
        "Survey: Are you aware of the escalation protocol? (Escalation awareness 2026 (second))"
    )
    assert question_measure(runs["old"]) not in choices
    assert "escalation:stages_on_time" in choices
    client.force_login(manager)
    form = client.get(reverse("reviews:edit-recommendation", args=[review.pk, recommendation.pk]))
    assert f'value="{latest}"' in form.content.decode()
    # The learning group embeds by a question of the newest run (not answered yet): it is
    # valued from the latest answered run, 12 of 15 = 80%.
    answer(runs["current"], police, 3, 0)
    client.force_login(learning)
    url = reverse("reviews:action", args=[assured.pk])
    with time_machine.travel("2026-03-10 09:00Z"):
        response = client.post(
            url,
            {
                "decision-move": "embed",
                "decision-embedded_basis": "measure",
                "decision-measure": latest,
            },
        )
        assert response.status_code == 302
        page = client.get(url).content.decode()
    assert Action.objects.get(pk=assured.pk).measure == latest
    assert "80% against a target of 80%" in page
    assert "Escalation awareness 2026, 2 February 2026: 12 of 15 answering yes" in page


def test_the_review_page_and_progress_report_show_the_survey_measure(
    client, partnership, runs, manager, recommendation, review
) -> None:
    link(recommendation, question_measure(runs["current"]), target=70)
    client.force_login(manager)
    with time_machine.travel("2026-03-10 09:00Z"):
        page = client.get(reverse("reviews:detail", args=[review.pk])).content.decode()
        made = report.progress_report(Viewer.of(manager), review, date(2026, 3, 10), timezone_now())
    assert "75% against a target of 70%" in page
    assert "Meets target" in page
    [reading] = made.pages[0].readings
    assert (reading.value, reading.target, reading.at_target) == (0.75, 0.7, True)
    assert reading.basis == "Escalation awareness 2026, 2 February 2026: 9 of 12 answering yes"


def test_the_escalation_figures_show_awareness_from_the_latest_run(
    client, partnership, manager, police, learning
) -> None:
    template = TEMPLATES["escalation-awareness"]
    client.force_login(learning)
    url = reverse("escalations:dashboard")
    assert 'no <a class="govuk-link" href="/surveys/">practitioner survey</a> of it' in (
        client.get(url).content.decode()
    )
    survey = surveys.create_survey(
        Viewer.of(manager),
        title=template.title,
        introduction="",
        questions=template.questions,
        template=template.key,
        today=date(2026, 2, 2),
    )
    link_ = survey.links.get(agency=police)
    aware, find, confident = (q.pk for q in survey.questions.order_by("number")[:3])
    for n in range(10):  # yes 8 of 10; find: 6 of 10 agree; confident: 3 of 10 (not shown)
        surveys.answer(
            link_,
            {
                aware: ["yes" if n < 8 else "no"],
                find: ["4" if n < 6 else "2"],
                confident: ["5" if n < 3 else "3"],
            },
            PractitionerRole.POLICE,
        )
    with time_machine.travel("2026-03-10 09:00Z"):
        page = client.get(url).content.decode()
    rows = [
        (s.text, s.value, str(s.answering))
        for s in survey_measures.awareness(partnership.pk, date(2026, 3, 10))
    ]
    assert rows == [
        (template.questions[0].text, 0.8, "10"),
        (template.questions[1].text, 0.6, "10"),
        (template.questions[2].text, None, "10"),
    ]
    assert 'id="awareness"' in page
    assert f'href="/surveys/{survey.pk}/"' in page
    cells = [c.strip() for c in page.split('class="govuk-table__cell app-table-numeric">')[1:7]]
    assert [c.split("<")[0] for c in cells] == ["80%", "10", "60%", "10", "Not shown", "10"]


def test_a_question_no_run_has_answered_has_nothing_to_count(
    partnership, manager, recommendation
) -> None:
    survey = run(manager, "Not yet answered", date(2026, 2, 2))
    measure = question_measure(survey)
    [reading] = measures.readings(partnership.pk, [measure], date(2026, 2, 3)).values()
    assert (reading.title, reading.value, reading.hidden, reading.at_target) == (
        f"Survey: {AWARE}",
        None,
        False,
        False,
    )
    assert reading.basis == "Not yet answered, 2 February 2026: 0 of 0 answering yes"
    assert reading.shortfall.startswith(f"“Survey: {AWARE}” has nothing to count yet")


def test_escalation_figures_are_shown_only_to_those_who_may_see_them(
    client, runs, police_lead, learning, recommendation, review
) -> None:
    recommendation.measures = ["escalation:stages_on_time", question_measure(runs["current"])]
    recommendation.save()
    url = reverse("reviews:detail", args=[review.pk])
    client.force_login(police_lead)  # an agency lead: survey results, no escalation figures
    page = client.get(url).content.decode()
    assert "<li>escalation:stages_on_time</li>" in page
    assert "Escalations: share of stages resolved within their timescale" not in page
    assert "75% against a target of 80%" in page
    client.force_login(learning)
    page = client.get(url).content.decode()
    assert "Escalations: share of stages resolved within their timescale: Nothing to count yet" in (
        page
    )
