"""The home page as each person's to-do list, and its count in the navigation.

Today is Monday 2 March 2026 throughout; "due soon" runs to Monday 16 March (14 days).
"""

from datetime import date, datetime
from pathlib import Path

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assure.accounts.models import Role, RoleGrant
from assure.casedata import synth
from assure.casedata.importer.run import import_tables
from assure.core.viewer import Viewer
from assure.indicators import selectors as trackers
from assure.reviews.models import Action, ActionStatus, ActionUpdate, Recommendation, Review
from assure.reviews.todo import count_for, todo_for

TODAY = date(2026, 3, 2)
S = ActionStatus


@pytest.fixture(autouse=True)
def fixed_day():
    with time_machine.travel(timezone.make_aware(datetime(2026, 3, 2, 9, 30)), tick=False):
        yield


def make_action(rec: Recommendation, agency, description: str, **fields) -> Action:
    return Action.objects.create(
        partnership=rec.partnership,
        recommendation=rec,
        agency=agency,
        description=description,
        **fields,
    )


def add_update(action: Action, author, kind: str, narrative: str, status: str) -> ActionUpdate:
    update = ActionUpdate.objects.create(
        partnership=action.partnership,
        action=action,
        kind=kind,
        narrative=narrative,
        status=status,
        author=author,
    )
    Action.objects.filter(pk=action.pk).update(status=status, latest_update=update)
    return update


@pytest.fixture
def plan(review, recommendation, police, council, police_lead, learning):
    """A police plan with one action in each of the agency lead's sections, and others."""
    made = {
        "overdue": make_action(
            recommendation,
            police,
            "Audit strategy discussions",
            owner=police_lead,
            due_date=date(2026, 2, 20),
        ),
        "due_soon": make_action(
            recommendation,
            police,
            "Publish the referral protocol",
            owner=police_lead,
            due_date=date(2026, 3, 16),
            status=S.IN_PROGRESS,
        ),
        "later": make_action(
            recommendation,
            police,
            "Train every sergeant",
            owner=police_lead,
            due_date=date(2026, 3, 17),
        ),
        "no_owner": make_action(
            recommendation, police, "Write the escalation guide", due_date=date(2026, 6, 1)
        ),
        "sent_back": make_action(
            recommendation,
            police,
            "Report on notifications shared",
            owner=police_lead,
            due_date=date(2026, 5, 1),
        ),
        "withdrawn": make_action(
            recommendation,
            police,
            "Withdrawn overdue commitment",
            due_date=date(2026, 1, 5),
            status=S.WITHDRAWN,
        ),
        "council_overdue": make_action(
            recommendation, council, "Council overdue action", due_date=date(2026, 2, 1)
        ),
        "implemented": make_action(
            recommendation, council, "Council implemented action", due_date=date(2026, 2, 1)
        ),
        "assured": make_action(recommendation, council, "Council assured action"),
        "slipped": make_action(
            recommendation,
            council,
            "Council embedded action that slipped",
            slipped_on=date(2026, 2, 28),
        ),
        "embedded": make_action(recommendation, council, "Council embedded action that held"),
        "merged": make_action(
            recommendation, council, "Merged implemented action", status=S.MERGED
        ),
    }
    add_update(made["sent_back"], police_lead, "implemented", "Done", S.IMPLEMENTED)
    add_update(
        made["sent_back"],
        learning,
        ActionUpdate.Kind.SENT_BACK,
        "The audit sample names no children's records.",
        S.IN_PROGRESS,
    )
    add_update(made["implemented"], police_lead, "implemented", "Done", S.IMPLEMENTED)
    add_update(made["assured"], learning, "assured", "Saw the audit", S.ASSURED)
    add_update(made["slipped"], learning, "embedded", "Held 3 months", S.EMBEDDED)
    add_update(made["embedded"], learning, "embedded", "Held 3 months", S.EMBEDDED)
    return made


def descriptions(section) -> set[str]:
    assert section.total == len(section.items)
    return {a.description for a in section.items}


def test_agency_lead_sees_their_agencys_sections(client, police_lead, plan) -> None:
    work = todo_for(Viewer.of(police_lead), TODAY).agency
    assert work is not None
    assert descriptions(work.overdue) == {"Audit strategy discussions"}
    assert descriptions(work.due_soon) == {"Publish the referral protocol"}
    assert descriptions(work.sent_back) == {"Report on notifications shared"}
    assert descriptions(work.lacking) == {"Write the escalation guide"}
    assert work.count == 4

    client.force_login(police_lead)
    html = client.get(reverse("core:home")).content.decode()
    assert "Testshire Police: actions" in html
    assert "Sent back</strong>" in html
    assert "The audit sample names no children’s records." in html or (
        "The audit sample names no children&#39;s records." in html
    )
    assert f'href="{reverse("reviews:action", args=[plan["overdue"].pk])}"' in html
    for hidden in ("withdrawn", "council_overdue", "later"):
        assert plan[hidden].description not in html
    assert "Home (4 to do)" in html
    assert "What you can do" in html
    assert "Learning group decisions" not in html


def test_childrens_services_manager_sees_their_agencys_actions(make_user, council, plan) -> None:
    manager = make_user(Role.CHILDRENS_SERVICES_MANAGER, agency=council)
    work = todo_for(Viewer.of(manager), TODAY).agency
    assert work is not None
    assert descriptions(work.overdue) == {"Council overdue action"}
    assert descriptions(work.lacking) == {"Council overdue action"}
    assert work.count == 1


def test_learning_group_sees_decisions_waiting_and_slipped_measures(client, learning, plan) -> None:
    work = todo_for(Viewer.of(learning), TODAY).learning
    assert work is not None
    assert descriptions(work.awaiting_assurance) == {"Council implemented action"}
    assert descriptions(work.awaiting_embedding) == {"Council assured action"}
    assert descriptions(work.slipped) == {"Council embedded action that slipped"}

    client.force_login(learning)
    html = client.get(reverse("core:home")).content.decode()
    assert "Learning group decisions" in html
    assert "Measure slipped</strong>" in html
    assert "on 28 Feb 2026" in html
    assert "Merged implemented action" not in html
    assert "Council embedded action that held" not in html
    assert "Home (3 to do)" in html
    assert "Testshire Police: actions" not in html  # not an agency lead


def test_partnership_manager_sees_milestones_and_plan_gaps(client, manager, review, plan) -> None:
    # Incident known Monday 23 Feb: notification due 5 working days later, Monday 2 March
    # (today: upcoming, within 14 days). The second review's notification was due in January.
    Review.objects.filter(pk=review.pk).update(incident_known=date(2026, 2, 23))
    late = Review.objects.create(
        partnership=review.partnership,
        review_type=Review.Type.LCSPR,
        pseudonym="Blake",
        incident_known=date(2026, 1, 5),
    )
    Review.objects.create(
        partnership=review.partnership,
        review_type=Review.Type.LCSPR,
        pseudonym="Closed",
        incident_known=date(2026, 1, 5),
        status=Review.Status.CLOSED,
    )
    Recommendation.objects.create(
        partnership=review.partnership, review=late, number=1, text="Nobody acts on this"
    )
    work = todo_for(Viewer.of(manager), TODAY).manager
    assert work is not None
    assert [(d.review.pseudonym, d.milestone.status, d.milestone.due) for d in work.milestones] == [
        ("Blake", "overdue", date(2026, 1, 12)),
        ("Alex", "upcoming", date(2026, 3, 2)),
    ]
    gaps = {g.review.pseudonym: g.summary for g in work.gaps}
    # Alex: of the actions still editable, "no_owner", "council_overdue" and "implemented"
    # have no owner; every one has a due date.
    assert gaps["Blake"] == "1 recommendation has no action."
    assert gaps["Alex"] == "3 actions have no owner."

    client.force_login(manager)
    html = client.get(reverse("core:home")).content.decode()
    assert "Plans with gaps" in html
    assert f'href="{reverse("reviews:detail", args=[late.pk])}"' in html
    assert "Overdue</strong>" in html
    assert f"Home ({work.count} to do)" in html


def test_a_withdrawn_action_does_not_leave_an_empty_recommendation_looking_planned(
    manager, review, police
) -> None:
    rec = Recommendation.objects.create(
        partnership=review.partnership, review=review, number=7, text="Only withdrawn actions"
    )
    make_action(rec, police, "Gone", status=S.WITHDRAWN)
    work = todo_for(Viewer.of(manager), TODAY).manager
    assert work is not None
    assert [g.summary for g in work.gaps] == ["1 recommendation has no action."]


def test_nobody_gets_links_they_may_not_follow(client, make_user, plan) -> None:
    board = make_user(Role.BOARD_MEMBER)
    client.force_login(board)
    html = client.get(reverse("core:home")).content.decode()
    assert "Your to-do list" not in html
    assert ">Home<" in html
    assert reverse("reviews:queue") not in html
    assert reverse("reviews:my-actions") not in html


def test_the_navigation_count_matches_the_list_on_every_page(client, police_lead, plan) -> None:
    client.force_login(police_lead)
    html = client.get(reverse("reviews:my-actions")).content.decode()
    assert "Home (4 to do)" in html
    assert (
        count_for(Viewer.of(police_lead), TODAY)
        == todo_for(Viewer.of(police_lead), TODAY).count
        == 4
    )


@pytest.mark.parametrize(
    "role", [Role.AGENCY_LEAD, Role.LEARNING_GROUP_MEMBER, Role.PARTNERSHIP_MANAGER]
)
def test_home_query_count_does_not_grow_with_actions(
    client, make_user, police, recommendation, learning, role
) -> None:
    person = make_user(role, agency=police)
    client.force_login(person)

    def grow(start: int, count: int) -> None:
        for n in range(start, start + count):
            make_action(recommendation, police, f"Overdue {n}", due_date=date(2026, 1, n))
            make_action(recommendation, police, f"Soon {n}", due_date=date(2026, 3, 3))
            sent = make_action(recommendation, police, f"Sent back {n}", due_date=date(2026, 9, 1))
            add_update(sent, learning, ActionUpdate.Kind.SENT_BACK, "Why", S.IN_PROGRESS)
            done = make_action(recommendation, police, f"Done {n}", due_date=date(2026, 1, n))
            add_update(done, learning, "implemented", "Done", S.IMPLEMENTED)
            rec = Recommendation.objects.create(
                partnership=recommendation.partnership,
                review=recommendation.review,
                number=100 + n,
                text="Empty",
            )
            assert rec

    grow(1, 2)
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("core:home")).status_code == 200
    grow(3, 25)
    with CaptureQueriesContext(connection) as large:
        response = client.get(reverse("core:home"))
    assert response.status_code == 200
    assert len(large) == len(small)
    html = response.content.decode()
    if role == Role.AGENCY_LEAD:  # 27 overdue: the first 20 listed, then a link to them all
        assert 'Overdue <span class="app-todo-count">(27)</span>' in html
        assert ">Overdue 20</a>" in html  # by due date: 1 to 20 January
        assert ">Overdue 21</a>" not in html
        assert "See all 27 overdue actions" in html


def test_chair_and_team_manager_see_their_overdue_trackers(
    client, make_user, partnership, tmp_path: Path
) -> None:
    as_of = date(2026, 2, 27)
    synth.generate(tmp_path, children=150, seed=3, as_of=as_of)
    tables = {p.stem: p for p in tmp_path.glob("*.csv")}
    assert import_tables(partnership, tables, actor=None, extract_date=as_of).ok
    cache.clear()
    everything = trackers.weekly(partnership.pk, as_of, None)
    overdue = {t.name: len(t.overdue) for t in everything.teams if t.overdue}
    assert overdue, "the synthetic data has overdue tracker items"

    chair = make_user(Role.CONFERENCE_CHAIR)
    work = todo_for(Viewer.of(chair), TODAY).trackers
    assert work is not None
    assert {t.team: t.overdue for t in work.teams} == overdue
    client.force_login(chair)
    html = client.get(reverse("core:home")).content.decode()
    assert "Overdue on the weekly tracker" in html
    assert reverse("indicators:weekly") + "?team=" in html

    team = sorted(overdue)[0]
    manager = make_user(
        Role.CHILDRENS_SERVICES_MANAGER, scope=RoleGrant.Scope.TEAM, scope_name=team
    )
    mine = todo_for(Viewer.of(manager), TODAY).trackers
    assert mine is not None
    assert {t.team: t.overdue for t in mine.teams} == {team: overdue[team]}


def test_a_partner_agency_lead_gets_no_tracker_section(make_user, police) -> None:
    lead = make_user(Role.AGENCY_LEAD, Role.CONFERENCE_CHAIR, agency=police)
    assert (
        todo_for(Viewer.of(lead), TODAY).trackers is None
    )  # child-level data is children's services'


def test_reminder_links_to_the_to_do_list_and_each_action(settings, plan, police_lead) -> None:
    settings.SITE_URL = "https://assure.testshire.example"
    police_lead.email = "lead@example.org"
    police_lead.save()
    call_command("remind", "--today", "2026-03-02")
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    site = "https://assure.testshire.example"
    assert f"{site}/reviews/actions/{plan['overdue'].pk}/" in body
    assert f"{site}/reviews/actions/{plan['due_soon'].pk}/" in body
    assert f"to-do list:\n  {site}/\n" in body


def test_reminder_base_url_can_be_given(plan, police_lead) -> None:
    police_lead.email = "lead@example.org"
    police_lead.save()
    call_command("remind", "--today", "2026-03-02", "--base-url", "https://other.example/")
    assert "https://other.example/reviews/actions/" in mail.outbox[0].body
