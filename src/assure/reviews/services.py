"""Writes for reviews, recommendations and actions: permission check, transaction, audit event."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from assure.accounts.models import Agency, Partnership
from assure.core import audit
from assure.core.viewer import Viewer
from assure.reviews import lifecycle, measures
from assure.reviews.evidence import check_file
from assure.reviews.lifecycle import Need
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


class Unchecked(Enum):
    """A save not made from a form (an import, a test): no version to check."""

    CALL = "unchecked"


UNCHECKED = Unchecked.CALL


def _saved[M: (Review, Recommendation, Action)](
    instance: M, version: int | Unchecked | None
) -> M | None:
    """The row as saved (None for a new record), locked until the transaction ends, with
    `instance.version` set to the one it saves as; EditConflict if the form was opened at an
    older `version`, or posted none (UNCHECKED: not from a form, so not checked)."""
    if instance.pk is None:
        instance.version = 0
        return None
    current = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
    if version is not UNCHECKED and version != current.version:
        raise EditConflict(current)
    instance.version = current.version + 1
    return current


def _stamp(instance: Review | Recommendation | Action, viewer: Viewer) -> None:
    """Who saved this version and when: fields of the record, read by the edit-conflict page."""
    instance.updated_by = viewer.user
    instance.updated_at = timezone.now()


def save_review(
    viewer: Viewer,
    review: Review,
    changes: dict[str, Any],
    *,
    version: int | Unchecked | None = UNCHECKED,
) -> Review:
    """Create or edit a review (partnership managers)."""
    viewer.require("review", "manage", record_type="reviews.review")
    with transaction.atomic():
        saved = _saved(review, version)
        before = {} if saved is None else _values(saved, [*REVIEW_FIELDS, "version"])
        for field, value in changes.items():
            setattr(review, field, value)
        if saved is None:
            review.partnership = viewer.required_partnership()
        _stamp(review, viewer)
        review.full_clean()
        review.save()
        action = audit.Action.CREATE if saved is None else audit.Action.UPDATE
        after = _values(review, [*REVIEW_FIELDS, "version"])
        audit.record(viewer, action, review, changes=audit.diff(before, after))
        return review


def save_recommendation(
    viewer: Viewer,
    recommendation: Recommendation,
    *,
    agencies: Sequence[Agency] = (),
    themes: Sequence[Theme] = (),
    version: int | Unchecked | None = UNCHECKED,
    **fields: Any,
) -> Recommendation:
    """Create or edit a recommendation with whom it is addressed to and its themes."""
    viewer.require("review", "manage", record_type="reviews.recommendation")
    with transaction.atomic():
        keys = ["number", "text", "to_partnership", "measures", "measure_target", "version"]
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
        _stamp(recommendation, viewer)
        recommendation.save()
        recommendation.agencies.set(agencies)
        recommendation.themes.set(themes)
        after = _values(recommendation, keys) | {
            "agencies": sorted(a.name for a in agencies),
            "themes": sorted(t.name for t in themes),
        }
        action = audit.Action.CREATE if saved is None else audit.Action.UPDATE
        audit.record(viewer, action, recommendation, changes=audit.diff(before, after))
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


def save_action(
    viewer: Viewer, action: Action, *, version: int | Unchecked | None = UNCHECKED, **fields: Any
) -> Action:
    """Create an action (partnership managers) or edit one (`action.edit` for its agency, and
    for the agency it moves to). The owner must belong to the action's agency; once assured,
    embedded or closed, an action's commitments no longer change.

    An edit writes only the fields given: the status its updates keep is never written back.
    """
    if action.pk is None:
        viewer.require("review", "manage", record_type="reviews.action")
    else:
        _require_edit(viewer, action, fields.get("agency"))
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
        _stamp(action, viewer)
        written += ["updated_by", "updated_at"]
        action.save(update_fields=None if saved is None else written)
        after = _action_values(action)
        kind = audit.Action.CREATE if saved is None else audit.Action.UPDATE
        audit.record(viewer, kind, action, changes=audit.diff(before, after))
        return action


@dataclass(frozen=True)
class SeenNote:
    """Evidence that is neither a file nor a link: what was seen, by whom, on which day."""

    note: str
    seen_by: str
    seen_on: date


def _action_values(action: Action) -> dict[str, Any]:
    return _values(action, ACTION_FIELDS) | {"owner": action.owner_id, "agency": action.agency_id}


def _require_edit(viewer: Viewer, action: Action, agency: Agency | None) -> None:
    """`action.edit` for the agency the action belongs to as saved, and for any it moves to:
    an agency lead edits their own agency's actions and cannot hand one to another agency."""
    saved_agency = Action.objects.values_list("agency_id", flat=True).get(pk=action.pk)
    for agency_id in {saved_agency, agency.pk if agency else saved_agency}:
        viewer.require(
            "action",
            "edit",
            agency_id=agency_id,
            record_type="reviews.action",
            record_id=action.pk,
        )


def append_update(
    viewer: Viewer,
    action: Action,
    *,
    kind: str,
    status: str,
    narrative: str = "",
    rag: str = "",
    files: Sequence[UploadedFile] = (),
    links: Sequence[str] = (),
    notes: Sequence[SeenNote] = (),
    **recorded: str,
) -> ActionUpdate:
    """Add one entry to the history and move the action to it (the caller holds the transaction).

    `recorded` fills the entry's other fields (no_evidence_reason, evidence_examined,
    embedded_basis).
    """
    checked = [(upload, check_file(upload)) for upload in files]
    update = ActionUpdate.objects.create(
        partnership_id=action.partnership_id,
        action=action,
        kind=kind,
        narrative=narrative,
        rag=rag,
        status=status,
        author=viewer.user,
        created_at=timezone.now(),
        **recorded,
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
            + [
                Evidence(
                    partnership_id=action.partnership_id,
                    update=update,
                    note=seen.note,
                    seen_by=seen.seen_by,
                    seen_on=seen.seen_on,
                )
                for seen in notes
            ]
        )
        before_status = action.status
        Action.objects.filter(pk=action.pk).update(status=status, latest_update=update)
        action.status, action.latest_update = status, update
        audit.record(
            viewer,
            audit.Action.UPDATE,
            action,
            summary=update.get_kind_display(),
            changes={
                "status": [before_status, status],
                "update": update.pk,
                "evidence": [info.original_name for _, info in checked]
                + list(links)
                + [f"Seen by {seen.seen_by} on {seen.seen_on.isoformat()}" for seen in notes],
            }
            | {name: value for name, value in recorded.items() if value},
        )
    except BaseException:
        # The rows go with the transaction; the files written so far must go too.
        for evidence in stored:
            evidence.file.delete(save=False)
        raise
    return update


def evidence_of(action: Action) -> QuerySet[Evidence]:
    """The action's evidence, with that of the actions merged into it."""
    return Evidence.objects.filter(
        Q(update__action_id=action.pk) | Q(update__action__merged_into_id=action.pk)
    )


@dataclass(frozen=True)
class MoveDetails:
    """What a person wrote and attached for a move (each move reads what its needs name)."""

    narrative: str = ""
    rag: str = ""
    files: Sequence[UploadedFile] = ()
    links: Sequence[str] = ()
    notes: Sequence[SeenNote] = ()
    no_evidence_reason: str = ""
    evidence_examined: str = ""
    embedded_basis: str = ""
    measure: str | None = None  # set the action's linked measure (embed decisions only)
    merge_into: Action | None = None


WORDS_NEEDED = {
    "send_back": "Say why the action is sent back.",
    "withdraw": "Say why the action is withdrawn.",
    "merge": "Say why the action is merged.",
    "embed": "Give the reasons for your judgement.",
    "confirm_embedded": "Give the reasons for your judgement.",
}


def move_action(
    viewer: Viewer, action: Action, move_name: str, details: MoveDetails | None = None
) -> ActionUpdate:
    """Change an action's status by one move of `lifecycle.MOVES`: refused unless the table
    allows it from the action's status, the person holds its permission and each need is met."""
    details = details or MoveDetails()
    move = lifecycle.BY_NAME.get(move_name)
    if move is None:
        raise ValidationError({"move": "Choose what has happened."})
    resource, verb = move.permission
    viewer.require(
        resource,
        verb,
        agency_id=action.agency_id,
        record_type="reviews.action",
        record_id=action.pk,
    )
    with transaction.atomic():
        action = Action.objects.select_for_update().select_related("partnership").get(pk=action.pk)
        if action.status not in move.sources:
            raise ValidationError(
                {
                    "move": f"An action that is {action.get_status_display().lower()} cannot be "
                    f"moved to “{move.label}”: reload the page to see what it is now."
                }
            )
        if details.measure is not None and move.target == ActionStatus.EMBEDDED:
            _link_measure(viewer, action, details.measure)
        problems = _unmet(viewer, move, action, details)
        if problems:
            raise ValidationError(problems)
        update = append_update(
            viewer,
            action,
            kind=move.kind,
            status=move.target,
            narrative=details.narrative.strip(),
            rag=details.rag,
            files=details.files,
            links=details.links,
            notes=details.notes,
            no_evidence_reason=details.no_evidence_reason.strip()
            if Need.EVIDENCE_OR_REASON in move.needs
            else "",
            evidence_examined=details.evidence_examined.strip(),
            embedded_basis=details.embedded_basis
            if Need.MEASURE_OR_JUDGEMENT in move.needs
            else "",
        )
        _after(viewer, move, action, details)
        return update


def _link_measure(viewer: Viewer, action: Action, measure: str) -> None:
    """The learning group links the measure that shows the action is embedded ("" for the
    recommendation's measures); it is kept with the decision or not at all."""
    offered = {i for i, _ in measures.choices(action.partnership_id, judged_only=True)}
    if measure and measure not in offered:
        raise ValidationError({"measure": "Choose a measure from the list."})
    if measure != action.measure:
        Action.objects.filter(pk=action.pk).update(measure=measure)
        audit.record(
            viewer,
            audit.Action.UPDATE,
            action,
            summary="Linked measure",
            changes={"measure": [action.measure, measure]},
        )
        action.measure = measure


def _unmet(
    viewer: Viewer, move: lifecycle.Move, action: Action, details: MoveDetails
) -> dict[str, str]:
    """Each unmet need of the move, as a message on the form field that meets it."""
    problems: dict[str, str] = {}
    needs = move.needs
    words = details.narrative.strip()
    if Need.NOT_OWN_AGENCY in needs and lifecycle.own_agency(viewer, action):
        problems["move"] = (
            f"You work for {action.agency.name}, so another member of the learning group must "
            "decide on this action."
        )
    if Need.SLIPPED in needs and action.slipped_on is None:
        problems["move"] = "Its measure has not slipped: there is nothing to confirm."
    if Need.NARRATIVE in needs and not words:
        problems["narrative"] = "Say what has happened since the last update."
    if Need.REASON in needs and not words:
        problems["narrative"] = WORDS_NEEDED[move.name]
    if Need.EVIDENCE_OR_REASON in needs and not (
        details.files
        or details.links
        or details.notes
        or details.no_evidence_reason.strip()
        or evidence_of(action).exists()
    ):
        problems["evidence"] = (
            "Add evidence (a file, a link or a note of what was seen), or say why no evidence "
            "is possible, to mark the action implemented."
        )
    if Need.EVIDENCE_EXAMINED in needs and not details.evidence_examined.strip():
        problems["evidence_examined"] = "Say what evidence you examined."
    if Need.MEASURE_OR_JUDGEMENT in needs:
        embedding = _embedding_problem(action, details)
        if embedding:
            problems[embedding[0]] = embedding[1]
    if Need.TARGET_ACTION in needs:
        merging = _merge_problem(action, details.merge_into)
        if merging:
            problems["merge_into"] = merging
    return problems


def _embedding_problem(action: Action, details: MoveDetails) -> tuple[str, str] | None:
    basis = details.embedded_basis
    if basis == ActionUpdate.EmbeddedBasis.JUDGEMENT:
        if not details.narrative.strip():
            return "narrative", "Give the reasons for your judgement."
        return None
    if basis != ActionUpdate.EmbeddedBasis.MEASURE:
        return (
            "embedded_basis",
            "Choose whether its measure or your judgement shows it is embedded.",
        )
    records = measures.judged(action)
    if not records:
        return (
            "embedded_basis",
            "No measure is linked to this action or its recommendation: choose a measure, or "
            "record a judgement with your reasons.",
        )
    short = [r for r in records if not r.holds]
    if short:
        return ("embedded_basis", f"{short[0].shortfall}, or record a judgement with your reasons.")
    return None


def _merge_problem(action: Action, target: Action | None) -> str | None:
    if target is None:
        return "Choose the action to merge this one into."
    if target.pk == action.pk:
        return "Choose another action: an action cannot be merged into itself."
    if target.recommendation.review_id != action.recommendation.review_id:
        return "Choose an action of the same review."
    if target.status in lifecycle.CLOSED:
        return "Choose an action that is not withdrawn or merged."
    return None


def _after(viewer: Viewer, move: lifecycle.Move, action: Action, details: MoveDetails) -> None:
    """What a move changes besides the status: when it was assured, a slip, a merge."""
    if move.target == ActionStatus.ASSURED:
        action.assured_at = timezone.now()
    elif move.target == ActionStatus.IN_PROGRESS and move.name == "send_back":
        action.assured_at = None
    if move.target == ActionStatus.EMBEDDED or move.name == "send_back":
        action.slipped_on = None
    changed = ["assured_at", "slipped_on"]
    if move.name == "merge":
        target = details.merge_into
        assert target is not None
        action.merged_into = target
        changed.append("merged_into")
        # Actions merged into this one move with it, so a history is never two hops away.
        Action.objects.filter(merged_into=action).update(merged_into=target)
        audit.record(
            viewer,
            audit.Action.UPDATE,
            target,
            summary=f"Action {action.pk} merged into this one",
            changes={"merged": action.pk},
        )
    action.save(update_fields=changed)


def add_update(
    viewer: Viewer,
    action: Action,
    *,
    narrative: str,
    status: str,
    rag: str = "",
    files: Sequence[UploadedFile] = (),
    links: Sequence[str] = (),
    notes: Sequence[SeenNote] = (),
    no_evidence_reason: str = "",
) -> ActionUpdate:
    """An agency's update moving the action to `status` (not started, in progress or
    implemented): the move of `lifecycle.MOVES` that leads there from its status."""
    names = {ActionStatus.NOT_STARTED: "not_started", ActionStatus.IMPLEMENTED: "implement"}
    name = names.get(
        ActionStatus(status), "reopen" if action.status == "implemented" else "progress"
    )
    return move_action(
        viewer,
        action,
        name,
        MoveDetails(
            narrative=narrative,
            rag=rag,
            files=files,
            links=links,
            notes=notes,
            no_evidence_reason=no_evidence_reason,
        ),
    )


def send_back(viewer: Viewer, action: Action, *, reason: str) -> ActionUpdate:
    """The learning group is not assured: the action goes back to the agency as in progress."""
    return move_action(viewer, action, "send_back", MoveDetails(narrative=reason))


def check_embedded_measures(partnership: Partnership, today: date | None = None) -> list[Action]:
    """Raise for review each embedded action whose measure's latest complete month fell below
    target after the learning group's last decision on it; returns those raised (audited, by
    the system)."""
    today = today or timezone.localdate()
    embedded = Action.objects.filter(
        partnership=partnership, status=ActionStatus.EMBEDDED, slipped_on__isnull=True
    ).select_related("partnership", "recommendation", "latest_update")
    raised = []
    for action in embedded:
        decided = action.latest_update.created_at if action.latest_update else action.assured_at
        if decided is None:
            continue
        since = timezone.localtime(decided).date()
        slipped = [r for r in measures.judged(action, today) if r.slipped_since(since)]
        if not slipped:
            continue
        with transaction.atomic():
            Action.objects.filter(pk=action.pk).update(slipped_on=today)
            action.slipped_on = today
            audit.record(
                None,
                audit.Action.UPDATE,
                action,
                summary="Raised for review: its measure slipped after embedded",
                changes={
                    "slipped_on": [None, today.isoformat()],
                    "measures": {r.id: r.latest_figure for r in slipped},
                },
            )
        raised.append(action)
    return raised


def record_download(viewer: Viewer, evidence: Evidence) -> None:
    """Evidence is for the partnership's assurance roles and the action's own agency; audited."""
    viewer.require(
        "evidence",
        "download",
        agency_id=evidence.update.action.agency_id,
        record_type="reviews.evidence",
        record_id=evidence.pk,
    )
    summary = f"Downloaded {evidence.original_name}"
    audit.record(viewer, audit.Action.VIEW, evidence, summary=summary)
