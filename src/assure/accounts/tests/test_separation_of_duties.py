"""Child-level and administrator roles need a second administrator; grants can end."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from assure.accounts.models import Role, RoleGrant, User
from assure.accounts.services import SeparationOfDuties, approve_grant
from assure.accounts.tests.test_admin import person_form
from assure.core.models import AuditEvent


@pytest.fixture
def admins(make_user) -> tuple[User, User]:
    return (
        make_user(Role.SYSTEM_ADMINISTRATOR, username="admin1"),
        make_user(Role.SYSTEM_ADMINISTRATOR, username="admin2"),
    )


def fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)  # role_set is read once per object


def give_in_admin(client, admin: User, person: User, role: str) -> RoleGrant:
    client.force_login(admin)
    rows = [(g.pk, g.role) for g in person.roles.all()] + [("", role)]
    url = reverse("admin:accounts_user_change", args=[person.pk])
    assert client.post(url, person_form(person, rows)).status_code == 302
    return person.roles.get(role=role)


def test_an_administrator_cannot_give_themselves_child_level_access(client, admins) -> None:
    first, second = admins
    grant = give_in_admin(client, first, first, Role.CONFERENCE_CHAIR)
    assert grant.is_pending
    assert Role.CONFERENCE_CHAIR not in fresh(first).role_set()
    with pytest.raises(SeparationOfDuties):
        approve_grant(first, grant)
    assert Role.CONFERENCE_CHAIR not in fresh(first).role_set()

    approve_grant(second, grant)
    assert Role.CONFERENCE_CHAIR in fresh(first).role_set()
    events = AuditEvent.objects.filter(record_type="accounts.rolegrant", record_id=str(grant.pk))
    assert [(e.action, e.actor_username) for e in events.order_by("pk")] == [
        ("create", "admin1"),
        ("permission-denied", "admin1"),
        ("update", "admin2"),
    ]


def test_the_person_given_a_role_cannot_approve_it(client, admins) -> None:
    first, second = admins
    grant = give_in_admin(client, first, second, Role.QUALITY_AUDITOR)
    with pytest.raises(SeparationOfDuties):
        approve_grant(second, grant)  # second did not ask for it, but would hold it
    assert grant.is_pending


@pytest.mark.parametrize(
    ("role", "pending"),
    [
        (Role.CHILDRENS_SERVICES_MANAGER, True),
        (Role.SYSTEM_ADMINISTRATOR, True),
        (Role.BOARD_MEMBER, False),
        (Role.AGENCY_LEAD, False),
    ],
)
def test_which_roles_wait_for_approval(client, admins, make_user, role, pending) -> None:
    person = make_user(username="newstarter")
    grant = give_in_admin(client, admins[0], person, role)
    assert grant.is_pending is pending
    assert (role in fresh(person).role_set()) is not pending


def test_changing_a_role_to_a_child_level_one_also_waits(client, admins, make_user) -> None:
    person = make_user(Role.BOARD_MEMBER, username="sam")
    grant = person.roles.get()
    client.force_login(admins[0])
    url = reverse("admin:accounts_user_change", args=[person.pk])
    client.post(url, person_form(person, [(grant.pk, Role.CONFERENCE_CHAIR)]))
    grant.refresh_from_db()
    assert grant.role == Role.CONFERENCE_CHAIR
    assert grant.is_pending
    assert fresh(person).role_set() == frozenset()


def test_pending_grants_are_approved_in_the_admin_site(client, admins, make_user) -> None:
    person = make_user(username="newstarter")
    grant = give_in_admin(client, admins[0], person, Role.CONFERENCE_CHAIR)
    url = reverse("admin:accounts_rolegrant_changelist")
    approve = {"action": "approve", "_selected_action": [grant.pk]}
    refused = client.post(url, approve, follow=True).content.decode()
    assert "A second system administrator must approve this role" in refused
    client.force_login(admins[1])
    client.post(url, approve)
    grant.refresh_from_db()
    assert grant.approved_by == admins[1]


def test_a_grant_ends_after_its_last_day(make_user) -> None:
    person = make_user(Role.QUALITY_AUDITOR, username="auditor")
    RoleGrant.objects.filter(user=person).update(ends_on=datetime.date(2026, 3, 31))
    with time_machine.travel(datetime.datetime(2026, 3, 31, 23, 0, tzinfo=datetime.UTC)):
        assert fresh(person).role_set() == frozenset()  # 23:00 UTC is 1 April in London
    with time_machine.travel(datetime.datetime(2026, 3, 31, 12, 0, tzinfo=datetime.UTC)):
        assert fresh(person).role_set() == {Role.QUALITY_AUDITOR}
    with time_machine.travel(datetime.datetime(2026, 4, 2, 9, 0, tzinfo=datetime.UTC)):
        assert fresh(person).role_set() == frozenset()


def test_widening_an_approved_team_scope_waits_for_approval(client, admins, make_user) -> None:
    person = make_user(
        Role.CHILDRENS_SERVICES_MANAGER,
        username="amir",
        scope=RoleGrant.Scope.TEAM,
        scope_name="Protection and Court Team 1",
    )
    grant = person.roles.get()
    client.force_login(admins[0])
    url = reverse("admin:accounts_user_change", args=[person.pk])
    data = person_form(person, [(grant.pk, Role.CHILDRENS_SERVICES_MANAGER)])  # scope: all
    assert client.post(url, data).status_code == 302
    grant.refresh_from_db()
    assert grant.scope == RoleGrant.Scope.ALL
    assert grant.is_pending
