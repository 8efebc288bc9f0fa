"""The admin site: every change a system administrator makes there is in the audit trail."""

from collections.abc import Sequence

from django.urls import reverse

from assure.accounts.models import Role, RoleGrant, User
from assure.core.models import AuditEvent

NEW_PASSWORD = "Synthetic-admin-set-passphrase-42"


def new_events(before: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.order_by("pk")[before:])


def person_form(person: User, roles: Sequence[tuple[int | str, str]]) -> dict[str, object]:
    """The change form as posted: the person's fields and one inline row per (id, role)."""
    data: dict[str, object] = {
        "username": person.username,
        "first_name": "Sam",
        "last_name": "Synthetic",
        "email": "",
        "agency": person.agency_id,
        "job_title": "",
        "is_active": "on",
        "roles-TOTAL_FORMS": str(len(roles)),
        "roles-INITIAL_FORMS": str(sum(1 for pk, _ in roles if pk)),
        "roles-MIN_NUM_FORMS": "0",
        "roles-MAX_NUM_FORMS": "1000",
    }
    for n, (pk, role) in enumerate(roles):
        data |= {
            f"roles-{n}-id": pk,
            f"roles-{n}-user": person.pk,
            f"roles-{n}-role": role,
            f"roles-{n}-scope": RoleGrant.Scope.ALL,
            f"roles-{n}-scope_name": "",
        }
    return data


def test_roles_added_changed_and_removed_inline_are_audited(client, admin_user, make_user):
    person = make_user(Role.BOARD_MEMBER, username="sam")
    grant = person.roles.get()
    url = reverse("admin:accounts_user_change", args=[person.pk])
    client.force_login(admin_user)

    before = AuditEvent.objects.count()
    data = person_form(person, [(grant.pk, Role.BOARD_MEMBER), ("", Role.CONFERENCE_CHAIR)])
    assert client.post(url, data).status_code == 302
    added = [e for e in new_events(before) if e.record_type == "accounts.rolegrant"]
    assert [(e.action, e.changes["role"], e.actor_username) for e in added] == [
        ("create", Role.CONFERENCE_CHAIR, "sysadmin")
    ]

    chair = person.roles.get(role=Role.CONFERENCE_CHAIR)
    before = AuditEvent.objects.count()
    rows = [(grant.pk, Role.QUALITY_AUDITOR), (chair.pk, Role.CONFERENCE_CHAIR)]
    data = person_form(person, rows)
    data["roles-1-DELETE"] = "on"
    assert client.post(url, data).status_code == 302
    events = [e for e in new_events(before) if e.record_type == "accounts.rolegrant"]
    assert sorted((e.action, e.record_id) for e in events) == [
        ("delete", str(chair.pk)),
        ("update", str(grant.pk)),
    ]
    update = next(e for e in events if e.action == "update")
    assert update.changes["role"] == [Role.BOARD_MEMBER, Role.QUALITY_AUDITOR]
    # a child-level role now waits for a second administrator again
    assert update.changes["requested_by"] == ["", f"sysadmin [{admin_user.pk}]"]
    assert list(person.roles.values_list("role", flat=True)) == [Role.QUALITY_AUDITOR]


def test_setting_a_password_is_audited_without_the_password(client, admin_user, make_user):
    person = make_user(Role.BOARD_MEMBER, username="sam")
    client.force_login(admin_user)
    before = AuditEvent.objects.count()
    response = client.post(
        reverse("admin:auth_user_password_change", args=[person.pk]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)
    (event,) = new_events(before)
    assert (event.action, event.record_type, event.record_id) == (
        "update",
        "accounts.user",
        str(person.pk),
    )
    assert NEW_PASSWORD not in str(event.changes) + event.summary


def test_people_and_agencies_are_never_deleted_only_made_inactive(
    client, admin_user, make_user, council
):
    person = make_user(Role.BOARD_MEMBER, username="sam")
    client.force_login(admin_user)
    client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "delete_selected", "_selected_action": [person.pk], "post": "yes"},
    )
    delete = reverse("admin:accounts_user_delete", args=[person.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    agency_delete = reverse("admin:accounts_agency_delete", args=[council.pk])
    assert client.post(agency_delete, {"post": "yes"}).status_code == 403
    assert User.objects.filter(pk=person.pk).exists()

    data = person_form(person, [(person.roles.get().pk, Role.BOARD_MEMBER)])
    del data["is_active"]
    change = reverse("admin:accounts_user_change", args=[person.pk])
    assert client.post(change, data).status_code == 302
    person.refresh_from_db()
    assert not person.is_active


def test_reading_people_grants_and_agencies_in_the_admin_site_is_audited(
    client, admin_user, make_user, council
):
    person = make_user(Role.BOARD_MEMBER, username="sam")
    client.force_login(admin_user)
    before = AuditEvent.objects.count()
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200
    assert client.get(reverse("admin:accounts_user_change", args=[person.pk])).status_code == 200
    assert client.get(reverse("admin:accounts_rolegrant_changelist")).status_code == 200
    assert client.get(reverse("admin:accounts_agency_change", args=[council.pk])).status_code == 200
    events = [e for e in new_events(before) if e.action == "view"]
    assert [(e.record_type, e.record_id, e.actor_username) for e in events] == [
        ("accounts.user", "", "sysadmin"),
        ("accounts.user", str(person.pk), "sysadmin"),
        ("accounts.rolegrant", "", "sysadmin"),
        ("accounts.agency", str(council.pk), "sysadmin"),
    ]
    assert sorted(events[0].changes["shown"]) == sorted([str(admin_user.pk), str(person.pk)])
    grants = RoleGrant.objects.values_list("pk", flat=True)
    assert sorted(events[2].changes["shown"]) == sorted(str(pk) for pk in grants)


def test_an_admin_change_keeps_old_and_new_values(client, admin_user, make_user, police):
    person = make_user(Role.BOARD_MEMBER, username="sam")
    client.force_login(admin_user)
    data = person_form(person, [(person.roles.get().pk, Role.BOARD_MEMBER)])
    data |= {"email": "sam@police.example", "agency": police.pk}
    before = AuditEvent.objects.count()
    url = reverse("admin:accounts_user_change", args=[person.pk])
    assert client.post(url, data).status_code == 302
    (event,) = [e for e in new_events(before) if e.action == "update"]
    assert event.changes["first_name"] == ["Test", "Sam"]
    assert event.changes["last_name"] == ["Person", "Synthetic"]
    assert event.changes["email"] == ["", "sam@police.example"]
    old_agency, new_agency = event.changes["agency"]
    assert old_agency.endswith(f"[{person.agency_id}]")
    assert new_agency == f"{police.name} [{police.pk}]"
    assert "username" not in event.changes  # unchanged fields are left out


def test_refusals_inside_the_admin_site_are_audited(client, admin_user, make_user):
    person = make_user(Role.BOARD_MEMBER, username="sam")
    client.force_login(admin_user)
    before = AuditEvent.objects.count()
    delete = reverse("admin:accounts_user_delete", args=[person.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    (event,) = new_events(before)
    assert (event.action, event.record_type, event.record_id, event.actor_username) == (
        "permission-denied",
        "admin",
        delete,
        "sysadmin",
    )
    assert event.changes == {"method": "POST"}
