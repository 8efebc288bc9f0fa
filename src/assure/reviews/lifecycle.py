"""An action's lifecycle: every status change, who may make it and what it needs, in one table.

Services check a move against this table before writing; forms offer only the moves a person
may make from the action's status; selectors, reminders and pages read `OPEN`, `COUNTED` and
the rest from here rather than listing statuses of their own.
"""

from dataclasses import dataclass
from enum import StrEnum

from assure.reviews.models import ActionStatus

S = ActionStatus


class Need(StrEnum):
    """What a move needs besides permission."""

    NARRATIVE = "narrative"  # what has happened, in words
    EVIDENCE_OR_REASON = "evidence_or_reason"  # a file, link or note; or why none is possible
    EVIDENCE_EXAMINED = "evidence_examined"  # what the learning group member examined
    MEASURE_OR_JUDGEMENT = "measure_or_judgement"  # a measure held at target, or a judgement
    REASON = "reason"  # why (send back, withdraw, merge)
    TARGET_ACTION = "target_action"  # the action it is merged into
    NOT_OWN_AGENCY = "not_own_agency"  # nobody assures their own agency's action


@dataclass(frozen=True)
class Move:
    """One allowed change of status."""

    name: str
    label: str
    sources: frozenset[ActionStatus]
    target: ActionStatus
    permission: tuple[str, str]  # (resource, action) of assure.core.permissions.MATRIX
    needs: frozenset[Need]


def _move(
    name: str,
    label: str,
    sources: set[ActionStatus],
    target: ActionStatus,
    permission: tuple[str, str],
    *needs: Need,
) -> Move:
    return Move(name, label, frozenset(sources), target, permission, frozenset(needs))


UPDATE = ("action", "update")
ASSURE = ("action", "assure")
MANAGE = ("review", "manage")
AGENCY_WORK = {S.NOT_STARTED, S.IN_PROGRESS}
LIVE = {S.NOT_STARTED, S.IN_PROGRESS, S.IMPLEMENTED}

MOVES: tuple[Move, ...] = (
    _move("not_started", "Not started", {S.NOT_STARTED}, S.NOT_STARTED, UPDATE, Need.NARRATIVE),
    _move("progress", "In progress", AGENCY_WORK, S.IN_PROGRESS, UPDATE, Need.NARRATIVE),
    _move(
        "implement",
        "Implemented",
        AGENCY_WORK,
        S.IMPLEMENTED,
        UPDATE,
        Need.NARRATIVE,
        Need.EVIDENCE_OR_REASON,
    ),
    _move(
        "reopen",
        "Not implemented after all",
        {S.IMPLEMENTED},
        S.IN_PROGRESS,
        UPDATE,
        Need.NARRATIVE,
    ),
    _move(
        "assure",
        "Assured: it is implemented",
        {S.IMPLEMENTED},
        S.ASSURED,
        ASSURE,
        Need.EVIDENCE_EXAMINED,
        Need.NOT_OWN_AGENCY,
    ),
    _move(
        "embed",
        "Embedded: practice has changed and stayed changed",
        {S.ASSURED},
        S.EMBEDDED,
        ASSURE,
        Need.MEASURE_OR_JUDGEMENT,
        Need.NOT_OWN_AGENCY,
    ),
    _move(
        "confirm_embedded",
        "Still embedded, although its measure slipped",
        {S.EMBEDDED},
        S.EMBEDDED,
        ASSURE,
        Need.MEASURE_OR_JUDGEMENT,
        Need.NOT_OWN_AGENCY,
    ),
    _move(
        "send_back",
        "Send back to the agency",
        {S.IMPLEMENTED, S.ASSURED, S.EMBEDDED},
        S.IN_PROGRESS,
        ASSURE,
        Need.REASON,
    ),
    _move("withdraw", "Withdraw", LIVE, S.WITHDRAWN, MANAGE, Need.REASON),
    _move(
        "merge",
        "Merge into another action",
        LIVE,
        S.MERGED,
        MANAGE,
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
