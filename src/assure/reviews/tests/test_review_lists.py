"""Self-assessment rounds beside case reviews: the Reviews page lists case and learning reviews
by default and rounds on request; statutory timelines and their counts leave out review types
that statute does not time; the rounds' improvement actions still count as actions.

Today is Monday 2 March 2026. The LCSPR "Alex" learnt of its incident on Monday 2 February:
notification due 5 working days later, Monday 9 February, never sent, so overdue. The "other
learning review" "Bo" carries the same date but has no statutory timeline. The round's
improvement action for the police was due Friday 27 February: overdue.
"""

from datetime import date, datetime
from typing import Any

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from assure.accounts.models import Role
from assure.core.viewer import Viewer
from assure.reviews.models import Action, Review
from assure.reviews.todo import manager_work
from assure.selfassessment import services as selfassessment
from assure.selfassessment.models import Framework, Round

TODAY = date(2026, 3, 2)


@pytest.fixture(autouse=True)
def fixed_day():
    with time_machine.travel(timezone.make_aware(datetime(2026, 3, 2, 9, 30)), tick=False):
        yield


@pytest.fixture
def reviews(manager, police, police_lead) -> dict[str, Any]:
    viewer = Viewer.of(manager)
    alex = Review.objects.create(
        partnership=viewer.required_partnership(),
        review_type=Review.Type.LCSPR,
        pseudonym="Alex",
        incident_known=date(2026, 2, 2),
    )
    bo = Review.objects.create(
        partnership=viewer.required_partnership(),
        review_type=Review.Type.OTHER,
        pseudonym="Bo",
        incident_known=date(2026, 2, 2),
    )
    selfassessment.ensure_builtin_frameworks(viewer.required_partnership())
    round_ = selfassessment.open_round(
        viewer,
        name="Section 11 2025-26",
        framework=Framework.objects.get(key="section-11"),
        agencies=[police],
        due_date=date(2026, 1, 30),
    )
    submission = round_.submissions.get()
    standard = round_.framework.standards.get(number=5)
    action = selfassessment.add_improvement_action(
        Viewer.of(police_lead),
        submission,
        standard=standard,
        description="Refresh safeguarding training for custody staff",
        owner=police_lead,
        due_date=date(2026, 2, 27),
    )
    return {"alex": alex, "bo": bo, "round": round_, "action": action}


def rows(page: str) -> str:
    """The reviews table of the page."""
    return page.split('id="review-list"')[1].split("</table>")[0]


def test_reviews_page_lists_case_reviews_and_rounds_on_request(client, manager, reviews) -> None:
    round_: Round = reviews["round"]
    client.force_login(manager)
    page = client.get(reverse("reviews:overview")).content.decode()
    listed = rows(page)
    assert "Alex" in listed
    assert "Bo" in listed
    assert "Section 11 2025-26" not in listed
    assert "Case and learning reviews (2)" in page
    assert "Self-assessment rounds (1)" in page
    assert "Both (3)" in page
    assert 'value="reviews" checked' in page
    # The round's improvement action is overdue: the action figures count it all the same.
    assert 'id="overdue-count">1</p>' in page
    # The round's eight standards have no actions, and are not counted as recommendations.
    assert 'No actions yet</th><td class="govuk-table__cell app-table-numeric">0<' in page

    page = client.get(reverse("reviews:overview"), {"show": "self_assessment"}).content.decode()
    listed = rows(page)
    assert "Section 11 2025-26" in listed
    assert "Alex" not in listed
    assert reverse("reviews:detail", args=[round_.review_id]) in listed
    assert reverse("selfassessment:rounds") in page
    assert 'No actions yet</th><td class="govuk-table__cell app-table-numeric">7<' in page

    listed = rows(client.get(reverse("reviews:overview"), {"show": "all"}).content.decode())
    assert all(name in listed for name in ("Alex", "Bo", "Section 11 2025-26"))
    # Anything else is the default list.
    listed = rows(client.get(reverse("reviews:overview"), {"show": "x"}).content.decode())
    assert "Alex" in listed
    assert "Section 11 2025-26" not in listed


def test_only_statutory_reviews_have_a_timeline_and_milestones_to_do(manager, reviews) -> None:
    alex, bo, round_ = reviews["alex"], reviews["bo"], reviews["round"]
    assert alex.has_statutory_timeline
    assert not bo.has_statutory_timeline
    assert not round_.review.has_statutory_timeline
    work = manager_work(Viewer.of(manager), TODAY)
    assert [(d.review.pseudonym, d.milestone.name, d.milestone.due) for d in work.milestones] == [
        ("Alex", "Notification to the Panel", date(2026, 2, 9))
    ]


def test_review_page_shows_the_timeline_only_where_statute_times_it(
    client, manager, reviews
) -> None:
    client.force_login(manager)
    alex = client.get(reverse("reviews:detail", args=[reviews["alex"].pk])).content.decode()
    assert 'id="timeline"' in alex
    bo = client.get(reverse("reviews:detail", args=[reviews["bo"].pk])).content.decode()
    assert 'id="timeline"' not in bo
    assert "This other learning review has no statutory timeline." in bo
    round_review = reviews["round"].review_id
    page = client.get(reverse("reviews:detail", args=[round_review])).content.decode()
    assert 'id="timeline"' not in page
    assert "improvement actions of a self-assessment round" in page
    assert reverse("selfassessment:rounds") in page


def test_improvement_actions_stay_in_action_lists(client, make_user, police, reviews) -> None:
    action: Action = reviews["action"]
    client.force_login(make_user(Role.AGENCY_LEAD, agency=police, username="lead2"))
    mine = client.get(reverse("reviews:my-actions"), {"overdue": "on"}).content.decode()
    assert reverse("reviews:action", args=[action.pk]) in mine
    everything = client.get(reverse("reviews:actions")).content.decode()
    assert reverse("reviews:action", args=[action.pk]) in everything


def test_self_assessment_pages_link_to_the_rounds_reviews(client, manager, reviews) -> None:
    client.force_login(manager)
    page = client.get(reverse("selfassessment:rounds")).content.decode()
    assert reverse("reviews:detail", args=[reviews["round"].review_id]) in page
    assert reverse("reviews:overview") + "?show=self_assessment" in page
