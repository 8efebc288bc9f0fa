"""Embedded by a measure held at target after assurance, or by a judgement; a measure that
slips after "embedded" raises the action on the learning group's queue.

The measure is core_group_first_10wd (target 90%): each month below has one plan starting on
its first working days, so its first core group falls due (10 working days on) in that month.
A core group on the plan's first day meets it; none makes the month 0%.
"""

from datetime import date
from io import StringIO

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from assure.accounts.models import Role
from assure.core.models import AuditEvent
from assure.core.viewer import Viewer
from assure.indicators.tests.builders import Case
from assure.reviews import measures
from assure.reviews.models import Action, ActionStatus
from assure.reviews.services import MoveDetails, SeenNote, check_embedded_measures, move_action

MEASURE = "core_group_first_10wd"
SEEN = SeenNote("Flowchart on every desk", "A. Auditor", date(2026, 1, 5))
# plan start, and whether its first core group is held that day
FEB_TO_APR = [("2026-02-02", True), ("2026-03-02", True), ("2026-04-01", True)]


def extract(partnership, plans, extract_date: date) -> None:
    case = Case()
    for number, (start, held) in enumerate(plans, 1):
        case.plan(f"CPP{number}", f"P{number}", start)
        if held:
            case.core_group(f"CG{number}", f"P{number}", f"CPP{number}", start)
    case.load(partnership, extract_date=extract_date)


@pytest.fixture
def assured(police_action, police_lead, learning, recommendation) -> Action:
    """Assured on Thu 15 Jan 2026; the recommendation's measure is the core group one."""
    recommendation.measures = [MEASURE]
    recommendation.save()
    move_action(
        Viewer.of(police_lead), police_action, "implement", MoveDetails("Done", notes=[SEEN])
    )
    with time_machine.travel("2026-01-15 11:00Z", tick=False):
        move_action(
            Viewer.of(learning), police_action, "assure", MoveDetails(evidence_examined="Seen")
        )
    return Action.objects.get(pk=police_action.pk)


def embed(learning, action, basis: str = "measure", narrative: str = "") -> None:
    details = MoveDetails(embedded_basis=basis, narrative=narrative)
    move_action(Viewer.of(learning), action, "embed", details)


def test_complete_months_are_the_calendar_months_after_assurance_up_to_the_extract() -> None:
    months = measures.complete_months(date(2026, 1, 15), date(2026, 4, 29))
    assert [(m.label, m.start, m.end) for m in months] == [
        ("Feb 2026", date(2026, 2, 1), date(2026, 2, 28)),
        ("Mar 2026", date(2026, 3, 1), date(2026, 3, 31)),
    ]  # April is not complete on the 29th
    assert measures.complete_months(date(2026, 1, 31), date(2026, 1, 31)) == []


def test_embedded_by_measure_needs_three_months_at_target_after_assurance(
    partnership, assured, learning
) -> None:
    extract(partnership, FEB_TO_APR[:2], date(2026, 3, 31))
    with (
        time_machine.travel("2026-04-02 09:00Z", tick=False),
        pytest.raises(ValidationError) as refused,
    ):
        embed(learning, assured)
    assert refused.value.message_dict["embedded_basis"] == [
        "“First core group within 10 working days of the plan starting” has been at or above "
        "its target for 2 of the 3 complete months needed since the action was assured: wait "
        "for more months of case data, or record a judgement with your reasons."
    ]
    extract(partnership, FEB_TO_APR, date(2026, 4, 30))
    [record] = measures.measure_records(assured)
    assert [(m.label, m.value, m.at_target) for m in record.months] == [
        ("Feb 2026", 1.0, True),
        ("Mar 2026", 1.0, True),
        ("Apr 2026", 1.0, True),
    ]
    assert (record.indicator.target, record.run, record.holds) == (0.9, 3, True)
    with time_machine.travel("2026-05-05 09:00Z", tick=False):
        embed(learning, assured)
    action = Action.objects.get(pk=assured.pk)
    assert action.status == ActionStatus.EMBEDDED
    assert action.latest_update is not None
    assert action.latest_update.embedded_basis == "measure"


def test_a_month_below_target_breaks_the_run(partnership, assured, learning) -> None:
    extract(partnership, [("2026-02-02", True), ("2026-03-02", False)], date(2026, 3, 31))
    [record] = measures.measure_records(assured)
    assert [m.value for m in record.months] == [1.0, 0.0]
    assert record.run == 0


def test_a_judgement_needs_its_reasons(assured, learning) -> None:
    with pytest.raises(ValidationError, match="Give the reasons for your judgement"):
        embed(learning, assured, basis="judgement")
    assured.recommendation.measures = []
    assured.recommendation.save()
    with pytest.raises(ValidationError, match="No measure is linked"):
        embed(learning, assured)
    embed(learning, assured, basis="judgement", narrative="Audit of 20 cases: all flowcharted")
    assert Action.objects.get(pk=assured.pk).status == ActionStatus.EMBEDDED


def test_the_learning_group_links_a_measure_from_the_decision_form(
    client, partnership, assured, learning
) -> None:
    assured.recommendation.measures = []
    assured.recommendation.save()
    extract(partnership, FEB_TO_APR, date(2026, 4, 30))
    client.force_login(learning)
    url = reverse("reviews:action", args=[assured.pk])
    page = client.get(url).content.decode()
    assert "No measure is linked to this action or its recommendation" in page
    with time_machine.travel("2026-05-05 09:00Z", tick=False):
        response = client.post(
            url,
            {
                "decision-move": "embed",
                "decision-embedded_basis": "measure",
                "decision-measure": MEASURE,
            },
        )
    assert response.status_code == 302
    action = Action.objects.get(pk=assured.pk)
    assert (action.status, action.measure) == (ActionStatus.EMBEDDED, MEASURE)
    linked = AuditEvent.objects.get(summary="Linked measure")
    assert (linked.actor_username, linked.changes) == ("learning", {"measure": ["", MEASURE]})
    page = client.get(url).content.decode()
    assert "It has held for <strong>3</strong> of 3" in page
    assert "Apr 2026" in page
    assert "At or above target" in page


def test_a_measure_that_slips_after_embedded_raises_the_action_for_review(
    client, partnership, assured, learning, django_capture_on_commit_callbacks
) -> None:
    extract(partnership, FEB_TO_APR, date(2026, 4, 30))
    with time_machine.travel("2026-05-05 09:00Z", tick=False):
        embed(learning, assured)
    may = [*FEB_TO_APR, ("2026-05-01", False)]  # due mid-May, no core group: May is 0%
    with time_machine.travel("2026-06-01"), django_capture_on_commit_callbacks(execute=True):
        extract(partnership, may, date(2026, 6, 1))
    action = Action.objects.get(pk=assured.pk)
    assert action.slipped_on == date(2026, 6, 1)
    event = AuditEvent.objects.get(summary__startswith="Raised for review")
    assert (event.actor_username, event.changes["measures"][MEASURE]) == (
        "",
        ["May 2026", 0.0, 0.9],
    )
    client.force_login(learning)
    queue = client.get(reverse("reviews:queue")).content.decode()
    slipped = queue[queue.index("Measures that slipped after embedded") :]
    assert "Deliver training on sharing safeguarding" in slipped
    assert "1 Jun 2026" in slipped

    with time_machine.travel("2026-06-02 09:00Z", tick=False):
        move_action(
            Viewer.of(learning),
            action,
            "confirm_embedded",
            MoveDetails(embedded_basis="judgement", narrative="May had one plan: a blip"),
        )
        assert Action.objects.get(pk=action.pk).slipped_on is None
        # The same month again does not raise it again: the learning group has judged it.
        assert check_embedded_measures(partnership) == []
    # Nor does the nightly run on the same data; a later month below target would.
    with time_machine.travel("2026-06-03 07:00Z", tick=False):
        call_command("remind", "--today", "2026-06-03", stdout=StringIO())
    assert Action.objects.get(pk=action.pk).slipped_on is None
    june = [*may, ("2026-06-01", False)]
    with time_machine.travel("2026-07-01"):
        extract(partnership, june, date(2026, 7, 1))
        call_command("remind", "--today", "2026-07-01", stdout=StringIO())
    assert Action.objects.get(pk=action.pk).slipped_on == date(2026, 7, 1)
    move_action(
        Viewer.of(learning), action, "send_back", MoveDetails(narrative="June too: look again")
    )
    action = Action.objects.get(pk=action.pk)
    assert (action.status, action.slipped_on, action.assured_at) == ("in_progress", None, None)


def test_measure_values_on_small_counts_are_hidden_outside_child_level_roles(
    client, partnership, assured, learning, make_user, review
) -> None:
    """Each month and the window rest on one plan: the learning group sees the judgement
    against target but not the values; a conference chair (child-level) sees them."""
    extract(partnership, FEB_TO_APR, date(2026, 4, 30))
    chair = make_user(Role.CONFERENCE_CHAIR, Role.LEARNING_GROUP_MEMBER)
    action_url = reverse("reviews:action", args=[assured.pk])
    review_url = reverse("reviews:detail", args=[review.pk])

    client.force_login(learning)
    page = client.get(action_url).content.decode()
    assert page.count("not shown (small numbers)") == 3
    assert "100.0%" not in page
    assert page.count("At or above target") == 3
    assert "not shown: it rests on fewer than 5 cases" in client.get(review_url).content.decode()

    client.force_login(chair)
    page = client.get(action_url).content.decode()
    assert "not shown (small numbers)" not in page
    assert page.count("100.0%") == 3
    assert "not shown: it rests on" not in client.get(review_url).content.decode()


def test_the_decision_form_asks_only_what_the_offered_moves_need(
    client, police_action, police_lead, learning
) -> None:
    move_action(
        Viewer.of(police_lead), police_action, "implement", MoveDetails("Done", notes=[SEEN])
    )
    client.force_login(learning)
    page = client.get(reverse("reviews:action", args=[police_action.pk])).content.decode()
    assert "What evidence you examined" in page
    assert "What shows it is embedded" not in page  # embedding is not offered yet
    move_action(
        Viewer.of(learning), police_action, "assure", MoveDetails(evidence_examined="Register")
    )
    page = client.get(reverse("reviews:action", args=[police_action.pk])).content.decode()
    assert "What evidence you examined" not in page
    assert "What shows it is embedded" in page
