"""The Viewer: who someone is for Assure, what they may do, and the records they may read."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from assure.accounts.models import Agency, Partnership, Role, RoleGrant
from assure.casedata.models import Person
from assure.core import audit, permissions
from assure.core.models import AuditEvent, ChildView
from assure.core.permissions import Scope
from assure.core.viewer import Viewer, viewer_of
from assure.reviews import services
from assure.reviews.models import Action, Recommendation, Review


def _plan(manager: Viewer, police: Agency) -> Action:
    """A review, a recommendation and an action with a linked piece of evidence."""
    review = services.save_review(manager, Review(), {"review_type": "lcspr", "pseudonym": "Jo"})
    recommendation = services.save_recommendation(
        manager, Recommendation(review=review), agencies=[police], number=1, text="Train staff"
    )
    action = services.save_action(
        manager, Action(recommendation=recommendation, agency=police), description="Train"
    )
    services.add_update(
        manager, action, narrative="Booked", status="in_progress", links=["https://e.org/1"]
    )
    return action


@pytest.fixture
def elsewhere() -> Partnership:
    return Partnership.objects.create(name="Otherton Safeguarding Children Partnership")


def test_scoped_querysets_hold_only_the_viewers_partnership(make_user, police, elsewhere):
    ours = Viewer.of(make_user(Role.PARTNERSHIP_MANAGER))
    other_police = Agency.objects.create(
        partnership=elsewhere, name="Otherton Police", agency_type=Agency.Type.POLICE
    )
    theirs = Viewer.of(make_user(Role.PARTNERSHIP_MANAGER, agency=other_police))
    mine, not_mine = _plan(ours, police), _plan(theirs, other_police)
    assert list(ours.actions()) == [mine]
    assert list(theirs.actions()) == [not_mine]
    assert [r.pk for r in ours.reviews()] == [mine.recommendation.review_id]
    assert [r.pk for r in ours.recommendations()] == [mine.recommendation_id]
    assert {e.update.action_id for e in ours.evidence()} == {mine.pk}
    assert not ours.audits().exists()
    Person.objects.create(partnership=police.partnership, ssd_id="C1")
    Person.objects.create(partnership=elsewhere, ssd_id="C2")
    assert list(ours.children().values_list("ssd_id", flat=True)) == ["C1"]


def test_a_person_without_an_agency_reads_nothing_and_creates_nothing(db, django_user_model):
    person = django_user_model.objects.create_user(username="loose", password="x" * 20)
    RoleGrant.objects.create(user=person, role=Role.PARTNERSHIP_MANAGER)
    viewer = Viewer.of(person)
    assert viewer.partnership_id == 0
    assert viewer.partnership is None
    assert not viewer.reviews().exists()
    with pytest.raises(PermissionDenied):
        viewer.required_partnership()


def test_can_and_require_follow_the_matrix_and_refusals_are_audited(make_user, police, council):
    lead = Viewer.of(make_user(Role.AGENCY_LEAD, agency=police))
    assert lead.scope("action", "update") == Scope.OWN_AGENCY
    assert lead.can("action", "update", agency_id=police.pk)
    assert not lead.can("action", "update", agency_id=council.pk)
    assert lead.require("review", "view") == Scope.PARTNERSHIP
    with pytest.raises(PermissionDenied):
        lead.require("action", "update", agency_id=council.pk, record_id=7)
    refusal = AuditEvent.objects.get(action=audit.Action.PERMISSION_DENIED)
    assert (refusal.actor_id, refusal.agency_name, refusal.record_id) == (
        lead.user.pk,
        "Testshire Police",
        "7",
    )
    assert refusal.partnership_id == police.partnership_id
    # The module's functions are the same rule, for callers holding a person.
    assert permissions.scope_for(lead.user, "action", "update") == Scope.OWN_AGENCY


def test_child_level_is_for_childrens_services_and_nobody_signed_out(make_user, police):
    chair_in_police = Viewer.of(make_user(Role.CONFERENCE_CHAIR, agency=police))
    assert chair_in_police.scope("case_data", "view") == Scope.PARTNERSHIP
    assert not chair_in_police.can("case_data", "view", child_level=True)
    signed_out = Viewer.of(AnonymousUser())  # type: ignore[arg-type]
    assert signed_out.roles == frozenset()
    assert not signed_out.can("review", "view")
    retired = make_user(Role.PARTNERSHIP_MANAGER)
    retired.is_active = False
    assert not Viewer.of(retired).can("review", "view")


def test_team_scope_is_worked_out_once(make_user, django_assert_num_queries):
    manager = Viewer.of(
        make_user(
            Role.CHILDRENS_SERVICES_MANAGER, scope=RoleGrant.Scope.TEAM, scope_name=" Team 2 "
        )
    )
    with django_assert_num_queries(1):
        assert manager.team_scope == frozenset({"team 2"})
    with django_assert_num_queries(0):
        assert manager.sees_team("TEAM 2")
        assert not manager.sees_team("Team 3")
        assert not manager.sees_team("")  # nobody allocated: not a team of theirs
    everyone = Viewer.of(make_user(Role.CONFERENCE_CHAIR))
    assert everyone.team_scope is None
    assert everyone.sees_team("")


def test_the_audit_trail_takes_attribution_from_the_viewer(make_user, council):
    person = make_user(Role.CONFERENCE_CHAIR, username="chair")
    viewer = Viewer.of(person)
    by_viewer = audit.record(viewer, audit.Action.VIEW, record_type="x", record_id=1)
    by_person = audit.record(person, audit.Action.VIEW, record_type="x", record_id=1)
    by_nobody = audit.record(None, audit.Action.VIEW, record_type="x", actor_username="system")
    fields = ("actor_id", "actor_username", "agency_id", "agency_name", "partnership_id")
    assert [getattr(by_viewer, f) for f in fields] == [getattr(by_person, f) for f in fields]
    assert by_viewer.actor_username == "chair"
    assert by_viewer.partnership_id == council.partnership_id
    assert (by_nobody.actor_id, by_nobody.actor_username, by_nobody.agency_id) == (
        None,
        "system",
        None,
    )
    seen = audit.record_children(viewer, audit.Action.VIEW, ["C2", "C1"], None, team_scope=None)
    assert seen.changes["roles"] == [Role.CONFERENCE_CHAIR]
    assert sorted(ChildView.objects.values_list("person_id", flat=True)) == ["C1", "C2"]


def test_a_request_has_one_viewer(make_user):
    request = RequestFactory().get("/")
    request.user = make_user(Role.BOARD_MEMBER)
    first = viewer_of(request)
    assert viewer_of(request) is first
    assert first.roles == frozenset({Role.BOARD_MEMBER})
    request.user = make_user(Role.QUALITY_AUDITOR)  # signed in as someone else: a new viewer
    assert viewer_of(request).user is request.user
