"""Each person's to-do list: what their roles ask of them now, in a fixed number of queries.

The home page lists the items; the navigation shows how many there are. Both read the section
filters defined here, so the count and the list cannot disagree.
"""

import hashlib
import operator
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import reduce
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet

from assure.accounts.models import Agency, Role
from assure.core import timescales
from assure.core.viewer import Viewer
from assure.escalations.todo import EscalationWork, escalation_work, overdue_count
from assure.indicators import selectors as trackers
from assure.indicators.figures import weekly_rows
from assure.reviews import lifecycle, rules
from assure.reviews.models import Action, ActionUpdate, Review

S = lifecycle.S
AGENCY_ROLES = {Role.AGENCY_LEAD, Role.CHILDRENS_SERVICES_MANAGER}
TRACKER_ROLES = {Role.CONFERENCE_CHAIR, Role.CHILDRENS_SERVICES_MANAGER}
TRACKER_CACHE_SECONDS = 600
SHOWN = 20  # actions listed per section; the rest are a link away where a list of them exists


def horizon(today: date) -> date:
    """The last day counted as "due soon" (the reminder window, from the timescales)."""
    return timescales.due_date("action_due_soon_days", today)


# ---- the sections' filters -------------------------------------------------------------------


def agency_filters(today: date) -> dict[str, Q]:
    """An agency's open actions needing its lead, by section (one action may be in several)."""
    return {
        "overdue": Q(due_date__lt=today),
        "due_soon": Q(due_date__gte=today, due_date__lte=horizon(today)),
        "sent_back": Q(latest_update__kind=ActionUpdate.Kind.SENT_BACK),
        "lacking": Q(owner__isnull=True) | Q(due_date__isnull=True),
    }


LEARNING_FILTERS = {
    "awaiting_assurance": Q(status=S.IMPLEMENTED),
    "awaiting_embedding": Q(status=S.ASSURED),
    "slipped": Q(status=S.EMBEDDED, slipped_on__isnull=False),
}


def _any(filters: dict[str, Q]) -> Q:
    return reduce(operator.or_, filters.values())


def _agency_of(viewer: Viewer) -> Agency | None:
    return viewer.agency if viewer.agency and viewer.roles & AGENCY_ROLES else None


def _is_learning_group(viewer: Viewer) -> bool:
    return Role.LEARNING_GROUP_MEMBER in viewer.roles


def _is_manager(viewer: Viewer) -> bool:
    return Role.PARTNERSHIP_MANAGER in viewer.roles


def _agency_actions(viewer: Viewer, agency: Agency) -> QuerySet[Action]:
    return viewer.actions().filter(agency=agency, status__in=lifecycle.OPEN)


# ---- sections --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    """The first items of one section (at most SHOWN), and how many there are in all."""

    items: list[Action]
    total: int


@dataclass(frozen=True)
class AgencyWork:
    """An agency lead's (or children's services manager's) actions needing them."""

    agency: Agency
    overdue: Section
    due_soon: Section
    sent_back: Section
    lacking: Section
    count: int  # distinct actions: one may be in several sections


@dataclass(frozen=True)
class LearningWork:
    """Decisions waiting for the learning group."""

    awaiting_assurance: Section
    awaiting_embedding: Section
    slipped: Section

    @property
    def count(self) -> int:
        return self.awaiting_assurance.total + self.awaiting_embedding.total + self.slipped.total


@dataclass(frozen=True)
class DueMilestone:
    review: Review
    milestone: rules.Milestone


@dataclass(frozen=True)
class PlanGaps:
    """What a review's action plan lacks."""

    review: Review
    without_actions: int  # recommendations with no action (withdrawn and merged not counted)
    without_owner: int
    without_due_date: int

    @property
    def summary(self) -> str:
        """The gaps in words, such as "2 recommendations have no action; 1 action has no owner"."""
        parts = [
            _counted(
                self.without_actions, "recommendation has", "recommendations have", "no action"
            ),
            _counted(self.without_owner, "action has", "actions have", "no owner"),
            _counted(self.without_due_date, "action has", "actions have", "no due date"),
        ]
        return "; ".join(p for p in parts if p) + "."


def _counted(n: int, one: str, many: str, what: str) -> str:
    return f"{n} {one if n == 1 else many} {what}" if n else ""


@dataclass(frozen=True)
class ManagerWork:
    milestones: list[DueMilestone]
    gaps: list[PlanGaps]

    @property
    def count(self) -> int:
        return len(self.milestones) + len(self.gaps)


@dataclass(frozen=True)
class TeamOverdue:
    team: str
    overdue: int


@dataclass(frozen=True)
class TrackerWork:
    """Overdue items on the weekly tracker in the person's team scope."""

    as_of: date | None
    teams: list[TeamOverdue]

    @property
    def count(self) -> int:
        return sum(t.overdue for t in self.teams)


@dataclass
class ToDo:
    due_soon_until: date
    agency: AgencyWork | None = None
    learning: LearningWork | None = None
    manager: ManagerWork | None = None
    trackers: TrackerWork | None = None
    escalations: EscalationWork | None = None
    links: dict[str, bool] = field(default_factory=dict)

    @property
    def count(self) -> int:
        sections = (self.agency, self.learning, self.manager, self.trackers, self.escalations)
        return sum(s.count for s in sections if s)


def _totals(actions: QuerySet[Action], filters: dict[str, Q]) -> dict[str, int]:
    """One query: how many actions each section holds, and how many are in any of them."""
    counts = {name: Count("pk", filter=condition) for name, condition in filters.items()}
    return actions.aggregate(any=Count("pk", filter=_any(filters)), **counts)


def _sections(
    actions: QuerySet[Action], filters: dict[str, Q], order: dict[str, tuple[str, ...]]
) -> tuple[dict[str, Section], int]:
    """Each section's first SHOWN actions (a query each, however many there are) and totals."""
    totals = _totals(actions, filters)
    sections = {
        name: Section(list(actions.filter(condition).order_by(*order[name])[:SHOWN]), totals[name])
        for name, condition in filters.items()
    }
    return sections, totals["any"]


def agency_work(viewer: Viewer, agency: Agency, today: date) -> AgencyWork:
    """Five queries: the sections' totals, then the first actions of each."""
    actions = _agency_actions(viewer, agency).select_related(
        "recommendation__review", "owner", "latest_update__author"
    )
    by_due = ("due_date", "id")
    sections, count = _sections(
        actions,
        agency_filters(today),
        {
            "overdue": by_due,
            "due_soon": by_due,
            "sent_back": ("-latest_update__created_at", "-id"),
            "lacking": ("recommendation__review_id", "recommendation__number", "id"),
        },
    )
    return AgencyWork(agency=agency, count=count, **sections)


def learning_work(viewer: Viewer) -> LearningWork:
    """Four queries: the sections' totals, then each one's longest waiting actions."""
    actions = viewer.actions().select_related("agency", "recommendation__review", "latest_update")
    oldest = ("latest_update__created_at", "id")
    sections, _ = _sections(actions, LEARNING_FILTERS, dict.fromkeys(LEARNING_FILTERS, oldest))
    return LearningWork(**sections)


def manager_work(viewer: Viewer, today: date) -> ManagerWork:
    """Three queries: open reviews (their timelines), empty recommendations, actions' gaps."""
    reviews = list(viewer.reviews().exclude(status=Review.Status.CLOSED))
    last = horizon(today)
    milestones = [
        DueMilestone(review, m)
        for review in reviews
        if review.has_statutory_timeline
        for m in rules.review_timeline(review, today)
        if m.due is not None
        and (m.status == "overdue" or (m.status == "upcoming" and m.due <= last))
    ]
    milestones.sort(key=lambda d: (d.milestone.due or today, d.review.pk))
    empty = Counter(
        viewer.recommendations()
        .annotate(counted=Count("actions", filter=Q(actions__status__in=lifecycle.COUNTED)))
        .filter(counted=0)
        .values_list("review_id", flat=True)
    )
    lacking: dict[int, dict[str, Any]] = {
        row["recommendation__review_id"]: dict(row)
        for row in viewer.actions()
        .filter(status__in=lifecycle.EDITABLE)
        .values("recommendation__review_id")
        .annotate(
            no_owner=Count("pk", filter=Q(owner__isnull=True)),
            no_due=Count("pk", filter=Q(due_date__isnull=True)),
        )
        .order_by()
    }
    gaps = []
    for review in reviews:
        row = lacking.get(review.pk, {})
        # A self-assessment's standards need actions only where an agency chose to add them.
        without = 0 if review.review_type == Review.Type.SELF_ASSESSMENT else empty[review.pk]
        found = PlanGaps(review, without, row.get("no_owner", 0), row.get("no_due", 0))
        if found.without_actions or found.without_owner or found.without_due_date:
            gaps.append(found)
    return ManagerWork(milestones, gaps)


def tracker_work(viewer: Viewer) -> TrackerWork:
    """The weekly tracker's overdue items by team in the person's scope, computed once per
    extract and scope (the tracker page itself lists them, and is audited)."""
    snapshot = trackers.current_snapshot(viewer.partnership_id)
    if snapshot is None:
        return TrackerWork(None, [])
    scope = viewer.team_scope
    teams_in_scope = "*" if scope is None else "\n".join(sorted(scope))
    identity = f"{snapshot.pk}\n{snapshot.checksum}\n{snapshot.imported_at}\n{teams_in_scope}"
    key = "todo-trackers:" + hashlib.sha256(identity.encode()).hexdigest()

    def overdue_by_team() -> list[tuple[str, int]]:
        weekly = trackers.weekly_seen_by(viewer, snapshot.extract_date, weekly_rows(snapshot))
        return [(t.name, len(t.overdue)) for t in weekly.teams if t.overdue]

    teams = cache.get_or_set(key, overdue_by_team, TRACKER_CACHE_SECONDS) or []
    return TrackerWork(snapshot.extract_date, [TeamOverdue(name, n) for name, n in teams])


def _shows_trackers(viewer: Viewer) -> bool:
    return bool(viewer.roles & TRACKER_ROLES) and viewer.can("case_data", "view", child_level=True)


def todo_for(viewer: Viewer, today: date) -> ToDo:
    """Every section the person's roles give them; a fixed number of queries however much."""
    todo = ToDo(
        due_soon_until=horizon(today),
        links={
            "my_actions": viewer.can("action", "update"),
            "queue": viewer.can("action", "assure"),
            "reviews": viewer.can("review", "view"),
            "actions": viewer.can("action", "view"),
        },
    )
    agency = _agency_of(viewer)
    if agency is not None:
        todo.agency = agency_work(viewer, agency, today)
    if _is_learning_group(viewer):
        todo.learning = learning_work(viewer)
    if _is_manager(viewer):
        todo.manager = manager_work(viewer, today)
    if _shows_trackers(viewer):
        todo.trackers = tracker_work(viewer)
    todo.escalations = escalation_work(viewer, today)
    return todo


def count_for(viewer: Viewer, today: date) -> int:
    """How many items the person's to-do list holds, for the navigation, without loading them."""
    total = 0
    agency = _agency_of(viewer)
    if agency is not None:
        total += _totals(_agency_actions(viewer, agency), agency_filters(today))["any"]
    if _is_learning_group(viewer):
        actions = viewer.actions()
        totals = _totals(actions, LEARNING_FILTERS)
        total += sum(totals[name] for name in LEARNING_FILTERS)
    if _is_manager(viewer):
        total += manager_work(viewer, today).count
    if _shows_trackers(viewer):
        total += tracker_work(viewer).count
    total += overdue_count(viewer, today)
    return total
