"""Rules that need no database: a review's statutory timeline and the SMART check."""

import re
from dataclasses import dataclass
from datetime import date

from assure.core import calendar, timescales

VAGUE_VERBS = ("consider", "review", "raise awareness", "explore", "look at", "promote", "support")
OUTPUT_WORDS = (
    "report",
    "audit",
    "training",
    "deliver",
    "publish",
    "produce",
    "implement",
    "complete",
    "%",
    "percent",
    "by ",
    "policy",
    "protocol",
    "template",
    "tracker",
)


@dataclass(frozen=True)
class Milestone:
    """One step of a review's statutory timeline, and where it stands."""

    name: str
    basis: str
    due: date | None
    done: date | None
    status: str  # met, late, overdue, upcoming, not yet due (no start date)

    @property
    def status_label(self) -> str:
        return self.status.replace("_", " ").capitalize()


def _status(due: date | None, done: date | None, today: date) -> str:
    if due is None:
        return "done" if done else "waiting"
    if done:
        return "met" if done <= due else "late"
    return "overdue" if due < today else "upcoming"


def review_timeline(review: object, today: date) -> list[Milestone]:
    """Notification, rapid review, completion and publication notice, due by the timescales."""
    incident = getattr(review, "incident_known", None)
    notified = getattr(review, "notification_sent", None)
    rapid = getattr(review, "rapid_review_held", None)
    decision = getattr(review, "decision_date", None)
    final = getattr(review, "final_received", None)
    sent = getattr(review, "final_sent_to_panel", None)
    published = getattr(review, "published", None)

    def due(key: str, start: date | None) -> date | None:
        return timescales.due_date(key, start) if start else None

    def basis(key: str, start: date | None) -> str:
        scale = timescales.timescale(key, start or today)
        unit = scale.unit.replace("_", " ")
        return f"{scale.amount} {unit}: {scale.basis}"

    notice_days = timescales.timescale("publication_notice_wd", published or today).amount
    notice_due = _working_days_before(published, notice_days) if published else None
    return [
        Milestone(
            "Notification to the Panel",
            basis("notification_wd", incident),
            due("notification_wd", incident),
            notified,
            _status(due("notification_wd", incident), notified, today),
        ),
        Milestone(
            "Rapid review",
            basis("rapid_review_wd", notified),
            due("rapid_review_wd", notified),
            rapid,
            _status(due("rapid_review_wd", notified), rapid, today),
        ),
        Milestone(
            "Final report",
            basis("lcspr_completion_months", decision),
            due("lcspr_completion_months", decision),
            final,
            _status(due("lcspr_completion_months", decision), final, today),
        ),
        Milestone(
            "Final report sent to the Panel before publication",
            f"at least {notice_days} working days before publication",
            notice_due,
            sent,
            _status(notice_due, sent, today),
        ),
    ]


def _working_days_before(d: date, n: int) -> date:
    """The date n working days before d (so that d is n working days after it)."""
    candidate = d
    while calendar.working_days_between(candidate, d) < n:
        candidate = date.fromordinal(candidate.toordinal() - 1)
    return candidate


def smart_problems(
    description: str,
    *,
    has_owner: bool,
    due_date: date | None,
    success_measure: str,
) -> list[str]:
    """What makes an action not SMART, in words an agency lead can act on."""
    problems = []
    if not has_owner:
        problems.append("No owner: name the person responsible")
    if due_date is None:
        problems.append("No due date")
    if not success_measure.strip():
        problems.append("No success measure: say how you will know it worked")
    text = description.lower()
    vague = next((v for v in VAGUE_VERBS if re.search(rf"\b{v}\b", text)), None)
    if vague and not any(word in text for word in OUTPUT_WORDS):
        problems.append(f"Vague verb “{vague}” with no output: say what will be produced")
    return problems
