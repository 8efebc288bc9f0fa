"""Writes for reviews, recommendations and actions: permission check, transaction, audit event."""

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from assure.accounts.models import Agency, User
from assure.core import audit, permissions
from assure.reviews import lifecycle
from assure.reviews.evidence import check_file
from assure.reviews.models import (
    Action,
    ActionStatus,
    ActionUpdate,
    Evidence,
    Recommendation,
    Review,
    Theme,
)

# The review's own fields: the form shows them, the audit trail diffs them (dates from 5th).
REVIEW_FIELDS = [
    "review_type",
    "pseudonym",
    "title",
    "status",
    "incident_known",
    "notification_sent",
    "rapid_review_held",
    "decision_date",
    "commissioned",
    "reviewer_appointed",
    "draft_received",
    "final_received",
    "final_sent_to_panel",
    "published",
]


def _values(instance: Any, fields: Iterable[str]) -> dict[str, Any]:
    return {f: _plain(getattr(instance, f)) for f in fields}


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


class EditConflict(Exception):
    """The record was saved by someone else after the form was opened: nothing was saved."""

    def __init__(self, current: Review | Recommendation | Action):
        super().__init__(f"{current} was changed by someone else")
        self.current = current


def _saved[M: (Review, Recommendation, Action)](instance: M, version: int | None) -> M | None:
    """The row as saved (None for a new record), locked until the transaction ends, with
    `instance.version` set to the one it saves as; EditConflict if the form was opened at an
    older `version` (None: not from a form, so not checked)."""
    if instance.pk is None:
        instance.version = 0
        return None
    current = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
    if version is not None and version != current.version:
        raise EditConflict(current)
    instance.version = current.version + 1
    return current


def save_review(
    user: User, review: Review, changes: dict[str, Any], *, version: int | None = None
) -> Review:
    """Create or edit a review (partnership managers)."""
    permissions.require(user, "review", "manage", record_type="reviews.review")
    with transaction.atomic():
        saved = _saved(review, version)
        before = {} if saved is None else _values(saved, [*REVIEW_FIELDS, "version"])
        for field, value in changes.items():
            setattr(review, field, value)
        if saved is None:
            review.partnership = user.agency.partnership  # type: ignore[union-attr]
        review.full_clean()
        review.save()
        action = audit.Action.CREATE if saved is None else audit.Action.UPDATE
        after = _values(review, [*REVIEW_FIELDS, "version"])
        audit.record(user, action, review, changes=audit.diff(before, after))
        return review


def save_recommendation(
    user: User,
    recommendation: Recommendation,
    *,
    agencies: Sequence[Agency] = (),
    themes: Sequence[Theme] = (),
    version: int | None = None,
    **fields: Any,
) -> Recommendation:
    """Create or edit a recommendation with whom it is addressed to and its themes."""
    permissions.require(user, "review", "manage", record_type="reviews.recommendation")
    with transaction.atomic():
        keys = ["number", "text", "to_partnership", "measures", "version"]
        saved = _saved(recommendation, version)
        before = (
            {}
            if saved is None
            else _values(saved, keys)
            | {
                "agencies": sorted(a.name for a in saved.agencies.all()),
                "themes": sorted(t.name for t in saved.themes.all()),
            }
        )
        problem = duplicate_number(recommendation, fields.get("number", recommendation.number))
        if problem:
            raise ValidationError({"number": problem})
        for field, value in fields.items():
            setattr(recommendation, field, value)
        recommendation.partnership_id = recommendation.review.partnership_id
        recommendation.save()
        recommendation.agencies.set(agencies)
        recommendation.themes.set(themes)
        after = _values(recommendation, keys) | {
            "agencies": sorted(a.name for a in agencies),
            "themes": sorted(t.name for t in themes),
        }
        action = audit.Action.CREATE if saved is None else audit.Action.UPDATE
        audit.record(user, action, recommendation, changes=audit.diff(before, after))
        return recommendation


def duplicate_number(recommendation: Recommendation, number: int) -> str:
    """What to tell a person who gives a recommendation a number another one of the review
    has, with the next free number ("" when the number is free)."""
    taken = set(
        Recommendation.objects.filter(review_id=recommendation.review_id)
        .exclude(pk=recommendation.pk)
        .values_list("number", flat=True)
    )
    if number not in taken:
        return ""
    free = number + 1
    while free in taken:
        free += 1
    return f"Recommendation {number} is already in this review: the next free number is {free}"


# What an action's audit events compare; "version" marks an event as an edit (see EditConflict).
ACTION_FIELDS = ["description", "outcome_sought", "success_measure", "due_date", "version"]


def save_action(user: User, action: Action, *, version: int | None = None, **fields: Any) -> Action:
    """Create an action (partnership managers) or edit one (`action.edit` for its agency, and
    for the agency it moves to). The owner must belong to the action's agency; once assured,
    embedded or closed, an action's commitments no longer change.

    An edit writes only the fields given: the status its updates keep is never written back.
    """
    if action.pk is None:
        permissions.require(user, "review", "manage", record_type="reviews.action")
    else:
        _require_edit(user, action, fields.get("agency"))
    with transaction.atomic():
        saved = _saved(action, version)
        if saved is not None and saved.status not in lifecycle.EDITABLE:
            raise ValidationError(
                {
                    NON_FIELD_ERRORS: f"This action is {saved.get_status_display().lower()}: its "
                    "owner, due date and text can no longer change."
                }
            )
        before = {} if saved is None else _action_values(saved)
        for field, value in fields.items():
            setattr(action, field, value)
        if action.owner is not None and action.owner.agency_id != action.agency_id:
            raise ValidationError({"owner": "The owner must work for the action's agency."})
        written = [*fields, "partnership", "version"]
        if saved is not None and {"owner", "agency"} & fields.keys():
            action.owner_needs_check = False  # a person has now chosen who owns it
            written.append("owner_needs_check")
        action.partnership_id = action.recommendation.partnership_id
        action.save(update_fields=None if saved is None else written)
        after = _action_values(action)
        kind = audit.Action.CREATE if saved is None else audit.Action.UPDATE
        audit.record(user, kind, action, changes=audit.diff(before, after))
        return action


def _action_values(action: Action) -> dict[str, Any]:
    return _values(action, ACTION_FIELDS) | {"owner": action.owner_id, "agency": action.agency_id}


def _require_edit(user: User, action: Action, agency: Agency | None) -> None:
    """`action.edit` for the agency the action belongs to as saved, and for any it moves to:
    an agency lead edits their own agency's actions and cannot hand one to another agency."""
    saved_agency = Action.objects.values_list("agency_id", flat=True).get(pk=action.pk)
    for agency_id in {saved_agency, agency.pk if agency else saved_agency}:
        permissions.require(
            user,
            "action",
            "edit",
            agency_id=agency_id,
            record_type="reviews.action",
            record_id=action.pk,
        )


def append_update(
    user: User,
    action: Action,
    *,
    kind: str,
    status: str,
    narrative: str = "",
    rag: str = "",
    files: Sequence[UploadedFile] = (),
    links: Sequence[str] = (),
) -> ActionUpdate:
    """Add one entry to the history and move the action to it (the caller holds the transaction)."""
    checked = [(upload, check_file(upload)) for upload in files]
    update = ActionUpdate.objects.create(
        partnership_id=action.partnership_id,
        action=action,
        kind=kind,
        narrative=narrative,
        rag=rag,
        status=status,
        author=user,
        created_at=timezone.now(),
    )
    stored: list[Evidence] = []
    try:
        for upload, info in checked:
            evidence = Evidence(
                partnership_id=action.partnership_id,
                update=update,
                stored_name=info.stored_name,
                original_name=info.original_name,
                content_type=info.content_type,
                size=info.size,
                sha256=info.sha256,
            )
            evidence.file.save(info.stored_name, upload, save=False)
            stored.append(evidence)
            evidence.save()
        Evidence.objects.bulk_create(
            [
                Evidence(partnership_id=action.partnership_id, update=update, link=url)
                for url in links
            ]
        )
        before_status = action.status
        Action.objects.filter(pk=action.pk).update(status=status, latest_update=update)
        action.status, action.latest_update = status, update
        audit.record(
            user,
            audit.Action.UPDATE,
            action,
            summary=update.get_kind_display(),
            changes={
                "status": [before_status, status],
                "update": update.pk,
                "evidence": [info.original_name for _, info in checked] + list(links),
            },
        )
    except BaseException:
        # The rows go with the transaction; the files written so far must go too.
        for evidence in stored:
            evidence.file.delete(save=False)
        raise
    return update


AGENCY_STATUSES = {ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS, ActionStatus.IMPLEMENTED}


def _has_evidence(action: Action) -> bool:
    return Evidence.objects.filter(update__action=action).exists()


def add_update(
    user: User,
    action: Action,
    *,
    narrative: str,
    status: str,
    rag: str = "",
    files: Sequence[UploadedFile] = (),
    links: Sequence[str] = (),
) -> ActionUpdate:
    """An agency's progress update; moving to implemented needs evidence (new or already given)."""
    permissions.require(
        user,
        "action",
        "update",
        agency_id=action.agency_id,
        record_type="reviews.action",
        record_id=action.pk,
    )
    with transaction.atomic():
        action = Action.objects.select_for_update().get(pk=action.pk)
        if status not in AGENCY_STATUSES:
            raise ValidationError(
                {"status": "Only the learning group can assure or embed an action."}
            )
        if action.status in {ActionStatus.ASSURED, ActionStatus.EMBEDDED}:
            raise ValidationError(
                {"status": "This action is already assured: ask the learning group."}
            )
        if status == ActionStatus.IMPLEMENTED and not (files or links or _has_evidence(action)):
            raise ValidationError({"evidence": "Add evidence to mark the action implemented."})
        if not narrative.strip():
            raise ValidationError({"narrative": "Say what has happened since the last update."})
        kind = (
            ActionUpdate.Kind.IMPLEMENTED
            if status == ActionStatus.IMPLEMENTED
            else ActionUpdate.Kind.PROGRESS
        )
        return append_update(
            user,
            action,
            kind=kind,
            status=status,
            narrative=narrative,
            rag=rag,
            files=files,
            links=links,
        )


ASSURANCE_STEPS = {
    ActionStatus.ASSURED: ActionStatus.IMPLEMENTED,
    ActionStatus.EMBEDDED: ActionStatus.ASSURED,
}


def assure(user: User, action: Action, *, level: str, comment: str) -> ActionUpdate:
    """The learning group is assured the action is implemented, or later that it is embedded."""
    permissions.require(user, "action", "assure", record_type="reviews.action", record_id=action.pk)
    with transaction.atomic():
        action = Action.objects.select_for_update().get(pk=action.pk)
        needed = ASSURANCE_STEPS.get(ActionStatus(level)) if level in ASSURANCE_STEPS else None
        if needed is None:
            raise ValidationError({"level": "Choose assured or embedded."})
        if action.status != needed:
            raise ValidationError(
                {"level": f"Only an action that is {needed.label.lower()} can be marked {level}."}
            )
        if not comment.strip():
            raise ValidationError({"comment": "Say what assured you."})
        kind = (
            ActionUpdate.Kind.ASSURED
            if level == ActionStatus.ASSURED
            else ActionUpdate.Kind.EMBEDDED
        )
        return append_update(user, action, kind=kind, status=level, narrative=comment)


def send_back(user: User, action: Action, *, reason: str) -> ActionUpdate:
    """The learning group is not assured: the action goes back to the agency as in progress."""
    permissions.require(user, "action", "assure", record_type="reviews.action", record_id=action.pk)
    with transaction.atomic():
        action = Action.objects.select_for_update().get(pk=action.pk)
        if action.status not in {ActionStatus.IMPLEMENTED, ActionStatus.ASSURED}:
            raise ValidationError(
                {"reason": "Only implemented or assured actions can be sent back."}
            )
        if not reason.strip():
            raise ValidationError({"reason": "Say why the action is sent back."})
        return append_update(
            user,
            action,
            kind=ActionUpdate.Kind.SENT_BACK,
            status=ActionStatus.IN_PROGRESS,
            narrative=reason,
        )


def record_download(user: User, evidence: Evidence) -> None:
    """Evidence is for the partnership's assurance roles and the action's own agency; audited."""
    permissions.require(
        user,
        "evidence",
        "download",
        agency_id=evidence.update.action.agency_id,
        record_type="reviews.evidence",
        record_id=evidence.pk,
    )
    audit.record(user, audit.Action.VIEW, evidence, summary=f"Downloaded {evidence.original_name}")
