"""One lifecycle: each status change is a move of `lifecycle.MOVES`, with its permission and
needs; updates are append-only; nobody assures their own agency's action."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import ProtectedError
from django.urls import reverse

from assure.accounts.models import Role
from assure.core.models import AuditEvent
from assure.core.viewer import Viewer
from assure.reviews import lifecycle, selectors, services
from assure.reviews.evidence import EvidenceRejected
from assure.reviews.models import Action, ActionStatus, ActionUpdate, Evidence, Review
from assure.reviews.services import MoveDetails, SeenNote, move_action

PDF = SimpleUploadedFile("training register.pdf", b"%PDF-1.4 synthetic", "application/pdf")
SEEN = SeenNote("New referral form in use at 3 GP practices", "A. Auditor", date(2026, 3, 2))


def implement(lead, action, **details) -> ActionUpdate:
    return move_action(
        Viewer.of(lead), action, "implement", MoveDetails(narrative="Done", **details)
    )


def assure(learning, action, examined="Register: 28 of 30 staff trained") -> ActionUpdate:
    return move_action(
        Viewer.of(learning), action, "assure", MoveDetails(evidence_examined=examined)
    )


def test_agency_implements_with_evidence_and_the_learning_group_assures_then_embeds(
    police_action, police_lead, learning
) -> None:
    services.add_update(
        Viewer.of(police_lead),
        police_action,
        narrative="Training booked",
        status="in_progress",
        rag="amber",
    )
    with pytest.raises(ValidationError) as refused:
        services.add_update(
            Viewer.of(police_lead), police_action, narrative="Done", status="implemented"
        )
    assert "say why no evidence is possible" in str(refused.value.message_dict["evidence"])
    implement(police_lead, police_action, files=[PDF], links=["https://example.org/register"])
    with time_machine.travel("2026-04-01 10:00Z", tick=False):
        assure(learning, police_action)
    move_action(
        Viewer.of(learning),
        police_action,
        "embed",
        MoveDetails(embedded_basis="judgement", narrative="Dip sample of 20 referrals: all used"),
    )
    action = Action.objects.get(pk=police_action.pk)
    assert action.status == ActionStatus.EMBEDDED
    assert action.assured_at is not None
    assert action.assured_at.date() == date(2026, 4, 1)
    history = list(action.updates.order_by("id").values_list("kind", "status"))
    assert history == [
        ("progress", "in_progress"),
        ("implemented", "implemented"),
        ("assured", "assured"),
        ("embedded", "embedded"),
    ]
    assured = action.updates.get(kind="assured")
    assert assured.evidence_examined == "Register: 28 of 30 staff trained"
    assert action.updates.get(kind="embedded").embedded_basis == "judgement"
    evidence = action.updates.get(kind="implemented").evidence.order_by("id")
    assert evidence[0].original_name == "training register.pdf"
    assert "training" not in str(evidence[0].file.name)
    assert evidence[1].link == "https://example.org/register"
    assert AuditEvent.objects.filter(record_type="reviews.action", action="update").count() == 4


def test_a_note_of_what_was_seen_is_evidence(police_action, police_lead) -> None:
    implement(police_lead, police_action, notes=[SEEN])
    item = Evidence.objects.get()
    assert (item.note, item.seen_by, item.seen_on) == (SEEN.note, "A. Auditor", date(2026, 3, 2))
    assert Action.objects.get().status == ActionStatus.IMPLEMENTED


def test_no_evidence_possible_needs_a_reason_the_learning_group_sees(
    client, police_action, police_lead, make_user, police
) -> None:
    reason = "The change is a conversation at each strategy meeting; nothing is written down"
    implement(police_lead, police_action, no_evidence_reason=reason)
    assert police_action.updates.get().no_evidence_reason == reason
    client.force_login(make_user(Role.LEARNING_GROUP_MEMBER))  # of the council
    page = client.get(reverse("reviews:action", args=[police_action.pk])).content.decode()
    assert "No evidence is possible, says Testshire Police" in page
    queue = client.get(reverse("reviews:queue")).content.decode()
    assert "0 items" in queue
    assert "No evidence possible: The change is a conversation" in queue


def test_assuring_needs_what_was_examined(police_action, police_lead, learning) -> None:
    implement(police_lead, police_action, files=[PDF])
    with pytest.raises(ValidationError) as refused:
        assure(learning, police_action, examined="  ")
    assert refused.value.message_dict == {"evidence_examined": ["Say what evidence you examined."]}


def test_the_table_refuses_a_move_it_does_not_allow(police_action, learning) -> None:
    with pytest.raises(ValidationError) as refused:
        assure(learning, police_action)
    assert "An action that is not started cannot be moved to “Assured" in str(refused.value)
    with pytest.raises(ValidationError, match="Choose what has happened"):
        move_action(Viewer.of(learning), police_action, "promote")
    assert police_action.updates.count() == 0


def test_nobody_assures_their_own_agencys_action(
    client, police_action, police_lead, make_user, police
) -> None:
    implement(police_lead, police_action, files=[PDF])
    colleague = make_user(Role.LEARNING_GROUP_MEMBER, agency=police, username="policelg")
    with pytest.raises(ValidationError, match="You work for Testshire Police"):
        assure(colleague, police_action)
    client.force_login(colleague)
    page = client.get(reverse("reviews:action", args=[police_action.pk])).content.decode()
    assert "so you cannot assure this action or mark it embedded" in page
    assert "Assured: it is implemented" not in page
    assert "Send back to the agency" in page  # a send-back needs no other agency


def test_an_agency_lead_cannot_assure_or_touch_another_agencys_action(
    police_action, council_action, police_lead
) -> None:
    with pytest.raises(PermissionDenied):
        assure(police_lead, police_action)
    with pytest.raises(PermissionDenied):
        services.add_update(
            Viewer.of(police_lead), council_action, narrative="x", status="in_progress"
        )
    assert AuditEvent.objects.filter(action="permission-denied", actor_username="policelead")


def test_forms_offer_only_the_moves_the_person_may_make(
    client, police_action, police_lead, learning, manager
) -> None:
    url = reverse("reviews:action", args=[police_action.pk])
    client.force_login(police_lead)
    page = client.get(url).content.decode()
    assert 'value="implement"' in page
    assert 'value="reopen"' not in page
    assert "Learning group decision" not in page
    assert "Withdraw or merge" not in page
    implement(police_lead, police_action, files=[PDF])
    assure(learning, police_action)
    page = client.get(url).content.decode()
    assert "Add an update" not in page  # an assured action is the learning group's
    client.force_login(learning)
    page = client.get(url).content.decode()
    assert 'value="embed"' in page
    assert 'value="assure"' not in page
    assert 'value="confirm_embedded"' not in page  # its measure has not slipped


def test_send_back_needs_a_reason_and_returns_the_action_to_the_agency(
    police_action, police_lead, learning
) -> None:
    implement(police_lead, police_action, files=[PDF])
    assure(learning, police_action)
    with pytest.raises(ValidationError, match="Say why the action is sent back"):
        services.send_back(Viewer.of(learning), police_action, reason=" ")
    services.send_back(
        Viewer.of(learning), police_action, reason="The register lists 4 of 30 staff"
    )
    action = Action.objects.get()
    assert (action.status, action.assured_at) == (ActionStatus.IN_PROGRESS, None)
    assert action.latest_update is not None
    assert action.latest_update.kind == "sent_back"


def test_confirm_embedded_only_once_a_measure_slipped(police_action, police_lead, learning) -> None:
    implement(police_lead, police_action, files=[PDF])
    assure(learning, police_action)
    move_action(
        Viewer.of(learning),
        police_action,
        "embed",
        MoveDetails(embedded_basis="judgement", narrative="ok"),
    )
    with pytest.raises(ValidationError, match="Its measure has not slipped"):
        move_action(
            Viewer.of(learning),
            police_action,
            "confirm_embedded",
            MoveDetails(embedded_basis="judgement", narrative="still fine"),
        )


def test_a_manager_withdraws_an_action_out_of_every_count(
    client, manager, police_lead, police_action, council_action
) -> None:
    today = date(2026, 6, 1)  # police_action was due 31 Mar 2026: overdue
    assert selectors.overview(Viewer.of(manager), today).overdue_count == 1
    with pytest.raises(PermissionDenied):
        move_action(
            Viewer.of(police_lead), police_action, "withdraw", MoveDetails(narrative="not needed")
        )
    with pytest.raises(ValidationError, match="Say why the action is withdrawn"):
        move_action(Viewer.of(manager), police_action, "withdraw")
    move_action(
        Viewer.of(manager), police_action, "withdraw", MoveDetails(narrative="Duplicates action 2")
    )
    assert Action.objects.get(pk=police_action.pk).status == ActionStatus.WITHDRAWN
    data = selectors.overview(Viewer.of(manager), today)
    assert data.overdue_count == 0
    assert [r["total"] for r in data.by_agency] == [1]  # only the council's action counts
    assert data.reviews[0].action_count == 1  # type: ignore[attr-defined]
    client.force_login(manager)
    listed = client.get(reverse("reviews:actions")).content.decode()
    assert "Deliver training on sharing" not in listed
    page = client.get(reverse("reviews:action", args=[police_action.pk])).content.decode()
    assert "Duplicates action 2" in page
    assert "Withdraw or merge" not in page


def test_a_manager_merges_an_action_and_its_history_shows_on_the_survivor(
    client, manager, police_lead, police_action, council_action, make_user, recommendation
) -> None:
    implement(police_lead, police_action, notes=[SEEN])
    other = services.save_review(
        Viewer.of(manager), Review(), {"review_type": "lcspr", "pseudonym": "Bo"}
    )
    elsewhere = services.save_action(
        Viewer.of(manager),
        Action(
            recommendation=services.save_recommendation(
                Viewer.of(manager), type(recommendation)(review=other), number=1, text="Elsewhere"
            ),
            agency=police_action.agency,
        ),
        description="Another review's action",
    )
    for target, message in (
        (None, "Choose the action to merge this one into"),
        (police_action, "cannot be merged into itself"),
        (elsewhere, "Choose an action of the same review"),
    ):
        with pytest.raises(ValidationError, match=message):
            move_action(
                Viewer.of(manager),
                police_action,
                "merge",
                MoveDetails(narrative="same", merge_into=target),
            )
    move_action(
        Viewer.of(manager),
        police_action,
        "merge",
        MoveDetails(narrative="The council leads this work", merge_into=council_action),
    )
    merged = Action.objects.get(pk=police_action.pk)
    assert (merged.status, merged.merged_into_id) == (ActionStatus.MERGED, council_action.pk)
    audited = AuditEvent.objects.filter(record_type="reviews.action", action="update")
    assert audited.filter(record_id=str(police_action.pk), summary="Merged into another action")
    assert audited.filter(record_id=str(council_action.pk), changes__merged=police_action.pk)
    counted = selectors.actions_for(Viewer.of(manager)).annotate(n=selectors.evidence_count())
    assert counted.get(pk=council_action.pk).n == 1
    client.force_login(manager)
    page = client.get(reverse("reviews:action", args=[council_action.pk])).content.decode()
    assert "From a merged action" in page
    assert "Seen by A. Auditor on 2 Mar 2026: New referral form in use" in page
    page = client.get(reverse("reviews:action", args=[police_action.pk])).content.decode()
    assert "its history continues there" in page


def test_updates_cannot_be_changed_or_deleted(police_action, police_lead) -> None:
    update = services.add_update(
        Viewer.of(police_lead), police_action, narrative="x", status="in_progress"
    )
    update.narrative = "rewritten"
    with pytest.raises(PermissionError):
        update.save()
    with pytest.raises(PermissionError):
        ActionUpdate.objects.filter(pk=update.pk).update(narrative="rewritten")
    with pytest.raises(PermissionError):
        ActionUpdate.objects.filter(pk=update.pk).delete()


def test_deleting_a_review_recommendation_or_action_keeps_its_history_and_files(
    police_action, police_lead, recommendation, review, settings, tmp_path
) -> None:
    settings.STORAGES = settings.STORAGES | {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        }
    }
    upload = SimpleUploadedFile("register.txt", b"synthetic register")
    implement(police_lead, police_action, files=[upload])
    stored = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert len(stored) == 1
    for record in (police_action, recommendation, review):
        with pytest.raises(ProtectedError):
            record.delete()
    with pytest.raises(ProtectedError):
        Review.objects.all().delete()
    assert (ActionUpdate.objects.count(), Evidence.objects.count()) == (1, 1)
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == stored
    assert stored[0].read_bytes() == b"synthetic register"


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
        implement(police_lead, police_action, files=[upload])
    assert police_action.updates.count() == 0


def test_oversized_evidence_is_refused(police_action, police_lead) -> None:
    upload = SimpleUploadedFile("big.txt", b"a" * (10 * 1024 * 1024 + 1))
    with pytest.raises(EvidenceRejected, match="the limit is 10 MB"):
        services.add_update(
            Viewer.of(police_lead),
            police_action,
            narrative="x",
            status="in_progress",
            files=[upload],
        )


def test_owner_must_belong_to_the_actions_agency(manager, council_action, police_lead) -> None:
    with pytest.raises(ValidationError, match="owner must work for"):
        services.save_action(Viewer.of(manager), council_action, owner=police_lead)


def test_every_status_is_reachable_and_closed_statuses_are_never_counted() -> None:
    targets = {move.target for move in lifecycle.MOVES}
    assert targets == set(ActionStatus)
    assert not set(lifecycle.CLOSED) & set(lifecycle.COUNTED)
    assert set(lifecycle.OPEN) <= set(lifecycle.EDITABLE)
    for move in lifecycle.MOVES:
        assert not set(move.sources) & set(lifecycle.CLOSED)  # nothing leaves withdrawn/merged
