"""The audit trail is append-only, records who/what/where, and never holds a secret."""

from datetime import timedelta

import pytest
from django.urls import reverse

from assure.accounts.models import Role
from assure.core import audit
from assure.core.models import AuditEvent, AuditTrailIsAppendOnly


@pytest.fixture
def event(make_user) -> AuditEvent:
    return audit.record(make_user(Role.PARTNERSHIP_MANAGER), audit.Action.VIEW, record_type="x")


def test_instance_cannot_be_changed(event: AuditEvent) -> None:
    event.summary = "tampered"
    with pytest.raises(AuditTrailIsAppendOnly):
        event.save()


def test_instance_cannot_be_deleted(event: AuditEvent) -> None:
    with pytest.raises(AuditTrailIsAppendOnly):
        event.delete()


def test_queryset_cannot_update_or_delete(event: AuditEvent) -> None:
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEvent.objects.filter(pk=event.pk).update(summary="tampered")
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEvent.objects.all().delete()
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEvent._base_manager.filter(pk=event.pk).delete()
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEvent.objects.bulk_update([event], ["summary"])
    assert AuditEvent.objects.get(pk=event.pk).summary == ""


def test_secrets_are_never_recorded(make_user) -> None:
    person = make_user(Role.SYSTEM_ADMINISTRATOR)
    recorded = audit.record(
        person, audit.Action.UPDATE, person, changes={"password": "hunter2", "first_name": "A"}
    )
    assert recorded.changes == {"password": "[redacted]", "first_name": "A"}
    assert audit.diff({"api_token": "a"}, {"api_token": "b"}) == {
        "api_token": ["[redacted]", "[redacted]"]
    }


def test_request_origin_is_recorded(client, make_user) -> None:
    person = make_user(Role.BOARD_MEMBER)
    client.force_login(person)
    response = client.get(reverse("core:audit"), REMOTE_ADDR="10.1.2.3")
    event = AuditEvent.objects.latest("id")
    assert event.ip_address == "10.1.2.3"
    assert event.request_id == response["X-Request-ID"]
    assert event.occurred_at.utcoffset() == timedelta(0)


def test_administrator_searches_by_person_record_and_date(client, admin_user, make_user) -> None:
    other = make_user(Role.BOARD_MEMBER, username="someone")
    audit.record(other, audit.Action.EXPORT, record_type="reviews.review", record_id=7)
    audit.record(admin_user, audit.Action.VIEW, record_type="casedata.person", record_id=9)
    client.force_login(admin_user)
    url = reverse("core:audit")
    page = client.get(url, {"username": "someone"}).content.decode()
    assert "reviews.review 7" in page
    assert "casedata.person 9" not in page
    page = client.get(url, {"record_type": "casedata.person", "record_id": "9"}).content.decode()
    assert "casedata.person 9" in page
    assert "reviews.review 7" not in page
    page = client.get(url, {"date_from": "2000-01-01", "date_to": "2000-01-02"}).content.decode()
    assert "0 events" in page
    page = client.get(url, {"date_from": "2020-01-02", "date_to": "2020-01-01"}).content.decode()
    assert "The end date must be the same as or after the start date" in page
