"""Escalation stages past their due date, for the to-do lists of both agencies' leads."""

from dataclasses import dataclass
from datetime import date

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


def _applies(viewer: Viewer) -> bool:
    return viewer.can("escalation", "record") and bool(viewer.agency_id)


def escalation_work(viewer: Viewer, today: date) -> EscalationWork | None:
    """Two queries; None for those who are not an agency's lead."""
    if not _applies(viewer):
        return None
    overdue = selectors.overdue_stages(viewer, today)
    return EscalationWork(list(overdue[:SHOWN]), overdue.count())


def overdue_count(viewer: Viewer, today: date) -> int:
    return selectors.overdue_stages(viewer, today).count() if _applies(viewer) else 0
