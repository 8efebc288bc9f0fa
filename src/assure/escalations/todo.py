"""Escalation stages past their due date, for the to-do lists of both agencies' leads."""

from dataclasses import dataclass
from datetime import date

from assure.accounts.models import User
from assure.core.viewer import Viewer
from assure.escalations import selectors
from assure.escalations.models import Stage

SHOWN = 20


@dataclass(frozen=True)
class EscalationWork:
    """The first overdue stages (at most SHOWN) and how many there are."""

    stages: list[Stage]
    total: int

    @property
    def count(self) -> int:
        return self.total


def _applies(user: User) -> bool:
    return Viewer.of(user).can("escalation", "record") and bool(user.agency_id)


def escalation_work(user: User, today: date) -> EscalationWork | None:
    """Two queries; None for those who are not an agency's lead."""
    if not _applies(user):
        return None
    overdue = selectors.overdue_stages(Viewer.of(user), today)
    return EscalationWork(list(overdue[:SHOWN]), overdue.count())


def overdue_count(user: User, today: date) -> int:
    return selectors.overdue_stages(Viewer.of(user), today).count() if _applies(user) else 0
