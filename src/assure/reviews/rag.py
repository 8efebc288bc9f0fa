"""The RAG rating of a recommendation: one rule, written once, shown wherever a rating is."""

from collections.abc import Iterable
from datetime import date

from assure.reviews import lifecycle
from assure.reviews.models import Action, Rag

RULE = {
    Rag.RED: "Red: an action is overdue, or the recommendation has no action.",
    Rag.AMBER: "Amber: every action is in hand and on time, but not all are assured yet.",
    Rag.GREEN: "Green: every action is assured or embedded by the learning group.",
}
RULE_TEXT = (
    "Red if any action is overdue or the recommendation has no action; green if every action "
    "is assured or embedded; amber otherwise. Withdrawn and merged actions are not counted."
)
DONE = (lifecycle.S.ASSURED, lifecycle.S.EMBEDDED)


def is_overdue(action: Action, today: date) -> bool:
    """Open (the agency still has work to do) and past its due date."""
    return (
        action.status in lifecycle.OPEN and action.due_date is not None and action.due_date < today
    )


def rating(actions: Iterable[Action], today: date) -> Rag:
    """The recommendation's rating from its actions (withdrawn and merged ones left out)."""
    counted = [a for a in actions if a.status in lifecycle.COUNTED]
    if not counted or any(is_overdue(a, today) for a in counted):
        return Rag.RED
    if all(a.status in DONE for a in counted):
        return Rag.GREEN
    return Rag.AMBER
