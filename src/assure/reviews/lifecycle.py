"""An action's lifecycle: every status change, who may make it and what it needs, in one table.

Services check a move against this table before writing; forms offer only the moves a person
may make from the action's status; selectors, reminders and pages read `OPEN`, `COUNTED` and
the rest from here rather than listing statuses of their own.
"""

from dataclasses import dataclass
from enum import StrEnum

from assure.core.viewer import Viewer
from assure.reviews.models import Action, ActionStatus, ActionUpdate

S = ActionStatus
K = ActionUpdate.Kind


class Need(StrEnum):
    """What a move needs besides permission."""

    NARRATIVE = "narrative"  # what has happened, in words
    EVIDENCE_OR_REASON = "evidence_or_reason"  # a file, link or note; or why none is possible
    EVIDENCE_EXAMINED = "evidence_examined"  # what the learning group member examined
    MEASURE_OR_JUDGEMENT = "measure_or_judgement"  # a measure held at target, or a judgement
    REASON = "reason"  # why (send back, withdraw, merge)
    TARGET_ACTION = "target_action"  # the action it is merged into
    NOT_OWN_AGENCY = "not_own_agency"  # nobody assures their own agency's action
    SLIPPED = "slipped"  # only once its measure has slipped below target


@dataclass(frozen=True)
class Move:
    """One allowed change of status, and the kind of history entry it writes."""

    name: str
    label: str
    sources: frozenset[ActionStatus]
    target: ActionStatus
    permission: tuple[str, str]  # (resource, action) of assure.core.permissions.MATRIX
    needs: frozenset[Need]
    kind: str


def _move(
    name: str,
    label: str,
    sources: set[ActionStatus],
    target: ActionStatus,
    permission: tuple[str, str],
    kind: str,
    *needs: Need,
) -> Move:
    return Move(name, label, frozenset(sources), target, permission, frozenset(needs), kind)


UPDATE = ("action", "update")
ASSURE = ("action", "assure")
MANAGE = ("review", "manage")
AGENCY_WORK = {S.NOT_STARTED, S.IN_PROGRESS}
LIVE = {S.NOT_STARTED, S.IN_PROGRESS, S.IMPLEMENTED}

MOVES: tuple[Move, ...] = (
    _move(
        "not_started",
        "Not started",
        {S.NOT_STARTED},
        S.NOT_STARTED,
        UPDATE,
        K.PROGRESS,
        Need.NARRATIVE,
    ),
    _move(
        "progress", "In progress", AGENCY_WORK, S.IN_PROGRESS, UPDATE, K.PROGRESS, Need.NARRATIVE
    ),
    _move(
        "implement",
        "Implemented",
        # from implemented too: the agency can add evidence while it waits for assurance
        LIVE,
        S.IMPLEMENTED,
        UPDATE,
        K.IMPLEMENTED,
        Need.NARRATIVE,
        Need.EVIDENCE_OR_REASON,
    ),
    _move(
        "reopen",
        "Not implemented after all",
        {S.IMPLEMENTED},
        S.IN_PROGRESS,
        UPDATE,
        K.PROGRESS,
        Need.NARRATIVE,
    ),
    _move(
        "assure",
        "Assured: it is implemented",
        {S.IMPLEMENTED},
        S.ASSURED,
        ASSURE,
        K.ASSURED,
        Need.EVIDENCE_EXAMINED,
        Need.NOT_OWN_AGENCY,
    ),
    _move(
        "embed",
        "Embedded: practice has changed and stayed changed",
        {S.ASSURED},
        S.EMBEDDED,
        ASSURE,
        K.EMBEDDED,
        Need.MEASURE_OR_JUDGEMENT,
        Need.NOT_OWN_AGENCY,
    ),
    _move(
        "confirm_embedded",
        "Still embedded, although its measure slipped",
        {S.EMBEDDED},
        S.EMBEDDED,
        ASSURE,
        K.CONFIRMED_EMBEDDED,
        Need.MEASURE_OR_JUDGEMENT,
        Need.NOT_OWN_AGENCY,
        Need.SLIPPED,
    ),
    _move(
        "send_back",
        "Send back to the agency",
        {S.IMPLEMENTED, S.ASSURED, S.EMBEDDED},
        S.IN_PROGRESS,
        ASSURE,
        K.SENT_BACK,
        Need.REASON,
    ),
    _move("withdraw", "Withdraw", LIVE, S.WITHDRAWN, MANAGE, K.WITHDRAWN, Need.REASON),
    _move(
        "merge",
        "Merge into another action",
        LIVE,
        S.MERGED,
        MANAGE,
        K.MERGED,
        Need.REASON,
        Need.TARGET_ACTION,
    ),
)

BY_NAME = {move.name: move for move in MOVES}

# Status groups every reader shares.
OPEN = (S.NOT_STARTED, S.IN_PROGRESS)  # the agency still has work to do: can be overdue
AWAITING = (S.IMPLEMENTED, S.ASSURED)  # the learning group has a decision to make
CLOSED = (S.WITHDRAWN, S.MERGED)  # out of every count, kept in the history
COUNTED = tuple(s for s in ActionStatus if s not in CLOSED)
EDITABLE = (S.NOT_STARTED, S.IN_PROGRESS, S.IMPLEMENTED)  # owner, due date and text may change


def moves_from(status: str) -> list[Move]:
    """The moves the table allows from a status, whoever makes them."""
    return [move for move in MOVES if status in move.sources]


def find(name: str, status: str) -> Move | None:
    """The named move if the table allows it from this status."""
    move = BY_NAME.get(name)
    return move if move is not None and status in move.sources else None


def own_agency(viewer: Viewer, action: Action) -> bool:
    """Whether the person works for the action's agency (and so may not assure it)."""
    return bool(viewer.agency_id and viewer.agency_id == action.agency_id)


def may_make(viewer: Viewer, move: Move, action: Action) -> bool:
    """Whether this person may make this move on this action now (permission, status, agency
    and whether its measure slipped); what they must write for it is checked on saving."""
    resource, verb = move.permission
    return (
        action.status in move.sources
        and viewer.can(resource, verb, agency_id=action.agency_id)
        and not (Need.NOT_OWN_AGENCY in move.needs and own_agency(viewer, action))
        and not (Need.SLIPPED in move.needs and action.slipped_on is None)
    )


def moves_for(viewer: Viewer, action: Action, permission: tuple[str, str]) -> list[Move]:
    """The moves of one form (one permission) this person may make on this action now."""
    return [m for m in MOVES if m.permission == permission and may_make(viewer, m, action)]
