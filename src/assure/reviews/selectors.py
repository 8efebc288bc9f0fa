"""Reads for reviews and actions, always within the person's partnership; constant query counts."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import (
    Case,
    Count,
    IntegerField,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from assure.accounts.models import Agency, User
from assure.casedata.models import ImportSnapshot
from assure.core.viewer import Viewer
from assure.indicators.disclosure import Disclosure
from assure.indicators.engine import Indicator
from assure.indicators.figures import catalogue_figures
from assure.indicators.selectors import window_for
from assure.reviews.lifecycle import AWAITING, CLOSED, COUNTED, OPEN
from assure.reviews.models import (
    Action,
    ActionStatus,
    ActionUpdate,
    Evidence,
    Recommendation,
    Review,
)

STATUS_ORDER = list(COUNTED)


def reviews_for(viewer: Viewer) -> QuerySet[Review]:
    return viewer.reviews()


# The Reviews page's lists: case and learning reviews by default; self-assessment rounds
# (reviews only so that their improvement actions are ordinary actions) on request.
REVIEW_LISTS = {
    "reviews": "Case and learning reviews",
    "self_assessment": "Self-assessment rounds",
    "all": "Both",
}


def in_list(show: str, prefix: str = "") -> Q:
    """Reviews of the list `show` (a key of REVIEW_LISTS), from a model `prefix` away."""
    round_ = Q(**{f"{prefix}review_type": Review.Type.SELF_ASSESSMENT})
    return {"reviews": ~round_, "self_assessment": round_}.get(show, Q())


def review_list_counts(viewer: Viewer) -> dict[str, int]:
    """How many reviews each list holds, in one query."""
    counts = reviews_for(viewer).aggregate(
        reviews=Count("pk", filter=in_list("reviews")),
        self_assessment=Count("pk", filter=in_list("self_assessment")),
    )
    return counts | {"all": counts["reviews"] + counts["self_assessment"]}


def recommendations_for(viewer: Viewer) -> QuerySet[Recommendation]:
    return viewer.recommendations()


def evidence_files_for(viewer: Viewer) -> QuerySet[Evidence]:
    """Uploaded evidence (not links) in the person's partnership, with its action."""
    return viewer.evidence().exclude(file="").select_related("update__action")


def agencies_of(review: Review) -> list[Agency]:
    """The agencies of the review's partnership, which its actions may be assigned to."""
    return list(Agency.objects.filter(partnership_id=review.partnership_id))


def possible_owners(review: Review) -> QuerySet[User]:
    """Active people of the review's partnership, who may own its actions."""
    return User.objects.filter(agency__partnership_id=review.partnership_id, is_active=True)


def actions_for(viewer: Viewer) -> QuerySet[Action]:
    """Every action in the person's partnership, with what lists show."""
    return viewer.actions().select_related(
        "agency", "owner", "recommendation__review", "latest_update"
    )


def overdue(actions: QuerySet[Action], today: date) -> QuerySet[Action]:
    return actions.filter(status__in=OPEN, due_date__lt=today)


def evidence_count() -> Coalesce:
    """An action's evidence items, with those of the actions merged into it (a subquery)."""
    counted = (
        Evidence.objects.filter(
            Q(update__action_id=OuterRef("pk")) | Q(update__action__merged_into_id=OuterRef("pk"))
        )
        .order_by()
        .values("partnership_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def awaiting_assurance(viewer: Viewer) -> QuerySet[Action]:
    """Implemented actions awaiting assurance and assured ones awaiting embedding, oldest first."""
    return (
        actions_for(viewer)
        .filter(status__in=AWAITING)
        .select_related("latest_update__author")
        .annotate(evidence_count=evidence_count())
        .order_by("latest_update__created_at", "id")
    )


def slipped(viewer: Viewer) -> QuerySet[Action]:
    """Embedded actions whose measure slipped below target since: for the learning group."""
    return (
        actions_for(viewer)
        .filter(status=ActionStatus.EMBEDDED, slipped_on__isnull=False)
        .order_by("slipped_on", "id")
    )


def _status_rank() -> Case:
    """Withdrawn and merged actions rank as nothing (NULL): they do not count."""
    return Case(
        *[When(actions__status=s, then=Value(i)) for i, s in enumerate(STATUS_ORDER)],
        output_field=IntegerField(),
    )


@dataclass(frozen=True)
class Overview:
    reviews: Sequence[Review]
    recommendation_status: list[tuple[str, int]]
    overdue_count: int
    overdue_actions: list[Action]
    awaiting_count: int
    embedding_count: int
    by_agency: Sequence[Mapping[str, Any]]


def overview(viewer: Viewer, today: date, show: str = "reviews") -> Overview:
    """The partnership overview: a fixed number of queries however many reviews there are.
    Reviews and their recommendations are those of the list `show`; the action figures
    count every action, self-assessments' improvement actions included."""
    reviews = list(
        reviews_for(viewer)
        .filter(in_list(show))
        .annotate(
            recommendation_count=Count("recommendations", distinct=True),
            action_count=Count(
                "recommendations__actions",
                filter=Q(recommendations__actions__status__in=COUNTED),
                distinct=True,
            ),
            overdue_count=Count(
                "recommendations__actions",
                filter=Q(
                    recommendations__actions__status__in=OPEN,
                    recommendations__actions__due_date__lt=today,
                ),
                distinct=True,
            ),
        )
    )
    ranks = (
        viewer.recommendations()
        .filter(in_list(show, "review__"))
        .annotate(rank=Min(_status_rank()))
        .values_list("rank", flat=True)
    )
    counts: dict[str, int] = {}
    for rank in ranks:
        label = "No actions yet" if rank is None else STATUS_ORDER[rank].label
        counts[label] = counts.get(label, 0) + 1
    ordered = ["No actions yet", *[s.label for s in STATUS_ORDER]]
    actions = actions_for(viewer).filter(status__in=COUNTED)
    late = overdue(actions, today)
    by_agency = list(
        actions.values("agency__name")
        .annotate(
            total=Count("id"),
            **{s.value: Count("id", filter=Q(status=s)) for s in STATUS_ORDER},
            overdue=Count("id", filter=Q(status__in=OPEN, due_date__lt=today)),
        )
        .order_by("agency__name")
    )
    return Overview(
        reviews=reviews,
        recommendation_status=[(label, counts.get(label, 0)) for label in ordered],
        overdue_count=late.count(),
        overdue_actions=list(late.order_by("due_date", "id")[:10]),
        awaiting_count=actions.filter(status=ActionStatus.IMPLEMENTED).count(),
        embedding_count=actions.filter(status=ActionStatus.ASSURED).count(),
        by_agency=by_agency,
    )


def review_detail(viewer: Viewer) -> QuerySet[Review]:
    """Reviews with their recommendations, agencies, themes and actions, in 5 queries."""
    actions = Action.objects.select_related("agency", "owner", "latest_update")
    return reviews_for(viewer).prefetch_related(
        Prefetch(
            "recommendations",
            queryset=Recommendation.objects.prefetch_related(
                "agencies", "themes", Prefetch("actions", queryset=actions)
            ),
        )
    )


def action_detail(viewer: Viewer) -> QuerySet[Action]:
    """Actions with their history (each update's author and evidence), the actions merged into
    them with theirs, and what they were merged into."""
    updates = ActionUpdate.objects.select_related("author__agency").prefetch_related("evidence")
    merged = Action.objects.select_related("agency").prefetch_related(
        Prefetch("updates", queryset=updates)
    )
    return (
        actions_for(viewer)
        .select_related("partnership", "merged_into", "updated_by")
        .prefetch_related(
            Prefetch("updates", queryset=updates), Prefetch("merged_actions", queryset=merged)
        )
    )


def filter_actions(actions: QuerySet[Action], filters: dict[str, Any]) -> QuerySet[Action]:
    """Apply the action list's filters: agency, status, theme, review, due dates and words."""
    if filters.get("agency"):
        actions = actions.filter(agency=filters["agency"])
    if filters.get("status"):
        actions = actions.filter(status=filters["status"])
    else:
        actions = actions.exclude(status__in=CLOSED)
    if filters.get("theme"):
        actions = actions.filter(recommendation__themes=filters["theme"])
    if filters.get("review"):
        actions = actions.filter(recommendation__review=filters["review"])
    if filters.get("due_from"):
        actions = actions.filter(due_date__gte=filters["due_from"])
    if filters.get("due_to"):
        actions = actions.filter(due_date__lte=filters["due_to"])
    if filters.get("overdue_on"):
        actions = overdue(actions, filters["overdue_on"])
    if filters.get("q"):
        words = filters["q"]
        actions = actions.filter(
            Q(description__icontains=words)
            | Q(outcome_sought__icontains=words)
            | Q(recommendation__text__icontains=words)
        )
    return actions.order_by("due_date", "id")


@dataclass(frozen=True)
class MeasureFigure:
    """A tracker's current value as this viewer may see it (None: no figure, or `hidden`)."""

    indicator: Indicator
    value: float | None
    hidden: bool


def measure_figures(viewer: Viewer) -> dict[str, MeasureFigure]:
    """The current figures of every tracker, by id, for showing beside recommendations, with
    small numbers hidden from those without child-level access (indicators.disclosure).

    Empty when no case data is imported or the person may not see case data at all.
    """
    if not viewer.can("case_data", "view"):
        return {}
    snapshot = ImportSnapshot.current(viewer.partnership_id)
    if snapshot is None:
        return {}
    window = window_for(snapshot)
    disclosure = Disclosure.for_viewer(viewer)
    found = {}
    for figure in catalogue_figures(snapshot, window.start, window.end):
        row = disclosure.row(figure)
        found[figure.indicator.id] = MeasureFigure(figure.indicator, row.value, row.value_hidden)
    return found
