"""The assurance report's self-assessment section: each round whose dates touch the quarter,
and the latest round of each framework opened by the as-at day, as they stood then.

Per round: agencies × standards with the agency's own rating and the learning group's
challenge (in words), how many agencies had submitted and been challenged, where the challenge
disagreed and why, and its improvement actions by status. A rating counts once its agency had
submitted by the as-at day (before that it is a draft and not shown), a challenge once it had
been made by then, and actions carry their status at the as-at day, so a past quarter made
again says the same (challenges are read from their history: a later challenge leaves it).
"""

from collections import Counter
from datetime import datetime
from typing import Any

from django.db.models import Q
from django.utils import timezone

from assure.reports.build import Context, section
from assure.reviews import lifecycle
from assure.selfassessment.models import (
    ChallengeDecision,
    Rating,
    Round,
    StandardRating,
    Submission,
)

RAG = {Rating.FULLY_MET: "green", Rating.PARTLY_MET: "amber", Rating.NOT_MET: "red"}


def rounds_in(ctx: Context) -> list[tuple[Round, bool]]:
    """The rounds to report, oldest first, each with whether its dates touch the quarter
    (opened, due, submitted to or challenged in it) rather than being only its framework's
    latest round by the as-at day."""
    start = timezone.make_aware(datetime.combine(ctx.quarter.start, datetime.min.time()))
    opened = Round.objects.filter(
        partnership=ctx.partnership, created_at__lt=ctx.moment
    ).select_related("framework")
    touching = set(
        opened.filter(
            Q(created_at__gte=start)
            | Q(due_date__gte=ctx.quarter.start)
            | Q(submissions__submitted_at__gte=start, submissions__submitted_at__lt=ctx.moment)
            | Q(
                submissions__ratings__decisions__decided_at__gte=start,
                submissions__ratings__decisions__decided_at__lt=ctx.moment,
            )
        ).values_list("pk", flat=True)
    )
    latest: dict[str, int] = {}
    for round_ in opened.order_by("-created_at", "-id"):
        latest.setdefault(round_.framework.key, round_.pk)
    wanted = touching | set(latest.values())
    return [(r, r.pk in touching) for r in opened.order_by("created_at", "id") if r.pk in wanted]


def _words(value: str) -> dict[str, str]:
    return {"rating": Rating(value).label, "rag": RAG[Rating(value)]}


def _round(ctx: Context, round_: Round, in_quarter: bool) -> dict[str, Any]:
    moment = ctx.moment
    standards = list(round_.framework.standards.order_by("number"))
    submissions = sorted(  # in Python: the same order on every database
        Submission.objects.filter(round=round_).select_related("agency"),
        key=lambda s: (s.agency.name, s.pk),
    )
    ratings: dict[tuple[int, int], StandardRating] = {
        (r.submission_id, r.standard_id): r
        for r in StandardRating.objects.filter(
            submission__round=round_,
            submission__submitted_at__lt=moment,
        )
    }
    decided: dict[int, ChallengeDecision] = {}  # by rating: the latest decision by then
    for made in ChallengeDecision.objects.filter(
        rating__submission__round=round_, decided_at__lt=moment
    ).order_by("decided_at", "id"):
        decided[made.rating_id] = made
    rows = []
    disagreements = []
    submitted = 0
    challenged: set[int] = set()
    for submission in submissions:
        was_submitted = submission.submitted_at is not None and submission.submitted_at < moment
        submitted += was_submitted
        cells: list[dict[str, dict[str, str] | None]] = []
        for standard in standards:
            rating = ratings.get((submission.pk, standard.pk))
            if rating is None:
                cells.append({"self": None, "challenge": None})
                continue
            decision = decided.get(rating.pk)
            cells.append(
                {
                    "self": _words(rating.rating),
                    "challenge": _words(decision.decided) if decision else None,
                }
            )
            if decision is None:
                continue
            challenged.add(submission.pk)
            if decision.decided != rating.rating:
                disagreements.append(
                    {
                        "agency": submission.agency.name,
                        "standard": standard.number,
                        "title": standard.title,
                        "self": Rating(rating.rating).label,
                        "challenge": Rating(decision.decided).label,
                        "reason": decision.reason,
                    }
                )
        rows.append(
            {
                "agency": submission.agency.name,
                "submitted": (
                    timezone.localtime(submission.submitted_at).date() if was_submitted else None
                ),
                "cells": cells,
            }
        )
    return {
        "name": round_.name,
        "framework": str(round_.framework),
        "opened": timezone.localtime(round_.created_at).date(),
        "due": round_.due_date,
        "in_quarter": in_quarter,
        "agencies": len(submissions),
        "submitted": submitted,
        "challenged": len(challenged),
        "standards": [{"number": s.number, "title": s.title} for s in standards],
        "rows": rows,
        "disagreements": disagreements,
        "actions": _actions(ctx, round_),
    }


def _actions(ctx: Context, round_: Round) -> dict[str, Any]:
    """The round's improvement actions by their status at the as-at day (withdrawn and merged
    ones apart), and how many of the open ones were past their due date."""
    recommendations = {r.pk for r in ctx.recommendations if r.review_id == round_.review_id}
    states = [s for s in ctx.actions if s.action.recommendation_id in recommendations]
    counts = Counter(s.status for s in states)
    overdue = sum(
        1
        for s in states
        if s.status in lifecycle.OPEN
        and s.action.due_date is not None
        and s.action.due_date < ctx.as_at
    )
    return {
        "total": len(states),
        "by_status": [
            {"status": status.label, "actions": counts[status]}
            for status in lifecycle.S
            if counts[status]
        ],
        "overdue": overdue,
    }


@section("selfassessment", "Agency self-assessments")
def self_assessments(ctx: Context) -> dict[str, Any] | None:
    found = rounds_in(ctx)
    if not found:
        return None
    return {"rounds": [_round(ctx, round_, in_quarter) for round_, in_quarter in found]}
