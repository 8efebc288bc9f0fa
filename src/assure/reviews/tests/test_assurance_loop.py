"""Updates are append-only; agencies implement, only the learning group assures or sends back."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from assure.core.models import AuditEvent
from assure.reviews import services
from assure.reviews.evidence import EvidenceRejected
from assure.reviews.models import ActionStatus, ActionUpdate

PDF = SimpleUploadedFile("training register.pdf", b"%PDF-1.4 synthetic", "application/pdf")


def test_agency_lead_implements_with_evidence_and_learning_group_assures(
    police_action, police_lead, learning
) -> None:
    services.add_update(
        police_lead, police_action, narrative="Training booked", status="in_progress", rag="amber"
    )
    with pytest.raises(ValidationError, match="Add evidence"):
        services.add_update(police_lead, police_action, narrative="Done", status="implemented")
    services.add_update(
        police_lead,
        police_action,
        narrative="All MASH staff trained",
        status="implemented",
        files=[PDF],
        links=["https://example.org/register"],
    )
    police_action.refresh_from_db()
    assert police_action.status == ActionStatus.IMPLEMENTED
    services.assure(learning, police_action, level="assured", comment="Register seen")
    services.assure(learning, police_action, level="embedded", comment="Audit at 92%")
    police_action.refresh_from_db()
    assert police_action.status == ActionStatus.EMBEDDED
    history = list(police_action.updates.order_by("id").values_list("kind", "status"))
    assert history == [
        ("progress", "in_progress"),
        ("implemented", "implemented"),
        ("assured", "assured"),
        ("embedded", "embedded"),
    ]
    assert police_action.latest_update.kind == "embedded"
    evidence = police_action.updates.get(kind="implemented").evidence.order_by("id")
    stored = evidence[0]
    assert stored.original_name == "training register.pdf"
    assert stored.file.name.endswith(".pdf")
    assert "training" not in stored.file.name
    assert evidence[1].link == "https://example.org/register"
    updates = AuditEvent.objects.filter(record_type="reviews.action", action="update")
    assert updates.count() == 4


def test_agency_lead_cannot_update_another_agencys_action(council_action, police_lead) -> None:
    with pytest.raises(PermissionDenied):
        services.add_update(police_lead, council_action, narrative="x", status="in_progress")
    assert AuditEvent.objects.filter(action="permission-denied", actor_username="policelead")


def test_agency_lead_cannot_assure(police_action, police_lead) -> None:
    with pytest.raises(PermissionDenied):
        services.assure(police_lead, police_action, level="assured", comment="me")


def test_assurance_needs_an_implemented_action(police_action, learning) -> None:
    with pytest.raises(ValidationError, match="Only an action that is implemented"):
        services.assure(learning, police_action, level="assured", comment="ok")
    with pytest.raises(ValidationError, match="Only an action that is assured"):
        services.assure(learning, police_action, level="embedded", comment="ok")


def test_send_back_returns_the_action_to_in_progress(police_action, police_lead, learning) -> None:
    services.add_update(
        police_lead, police_action, narrative="Done", status="implemented", files=[PDF]
    )
    with pytest.raises(ValidationError, match="Say why"):
        services.send_back(learning, police_action, reason=" ")
    services.send_back(learning, police_action, reason="The register lists 4 of 30 staff")
    police_action.refresh_from_db()
    assert police_action.status == ActionStatus.IN_PROGRESS
    assert police_action.latest_update.kind == "sent_back"


def test_updates_cannot_be_changed_or_deleted(police_action, police_lead) -> None:
    update = services.add_update(police_lead, police_action, narrative="x", status="in_progress")
    update.narrative = "rewritten"
    with pytest.raises(PermissionError):
        update.save()
    with pytest.raises(PermissionError):
        ActionUpdate.objects.filter(pk=update.pk).update(narrative="rewritten")
    with pytest.raises(PermissionError):
        ActionUpdate.objects.filter(pk=update.pk).delete()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("run.exe", b"MZ", "not a type Assure keeps"),
        ("fake.pdf", b"<html>", "does not look like a .pdf file"),
        ("empty.txt", b"", "is empty"),
        ("notes.txt", b"abc\x00def", "not a text file"),
    ],
)
def test_bad_evidence_is_refused_and_nothing_is_saved(
    police_action, police_lead, name, content, message
) -> None:
    upload = SimpleUploadedFile(name, content)
    with pytest.raises(EvidenceRejected, match=message):
        services.add_update(
            police_lead, police_action, narrative="x", status="implemented", files=[upload]
        )
    assert police_action.updates.count() == 0


def test_oversized_evidence_is_refused(police_action, police_lead) -> None:
    upload = SimpleUploadedFile("big.txt", b"a" * (10 * 1024 * 1024 + 1))
    with pytest.raises(EvidenceRejected, match="the limit is 10 MB"):
        services.add_update(
            police_lead, police_action, narrative="x", status="in_progress", files=[upload]
        )


def test_owner_must_belong_to_the_actions_agency(manager, council_action, police_lead) -> None:
    with pytest.raises(ValidationError, match="owner must work for"):
        services.save_action(manager, council_action, owner=police_lead)
