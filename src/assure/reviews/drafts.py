"""Turning a parsed review document into recommendations and actions, after a person corrects it."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.http import QueryDict

from assure.accounts.models import Agency, User
from assure.core import audit, permissions
from assure.reviews import services
from assure.reviews.models import Action, ActionStatus, ActionUpdate, Recommendation, Review

MAX_ROWS = 500  # recommendations, or actions in one, that a confirmation form may post
DOCUMENT_STATUS = {
    "done": ActionStatus.IMPLEMENTED,
    "in_progress": ActionStatus.IN_PROGRESS,
    "planned": ActionStatus.NOT_STARTED,
    "unknown": ActionStatus.NOT_STARTED,
}


@dataclass
class DraftAction:
    text: str
    agency_id: int | None
    status: str
    due: date | None
    include: bool = True


@dataclass
class DraftRecommendation:
    number: int
    text: str
    include: bool = True
    actions: list[DraftAction] = field(default_factory=list)


def from_json(
    draft: dict[str, Any], agencies: list[Agency], existing: set[int]
) -> list[DraftRecommendation]:
    """The parser's JSON as editable rows, agency names resolved to this partnership's ids.

    Statements no agency owns (the partnership's own narrative) start unticked, and so do
    recommendations whose number the review already has (`existing`).
    """
    ids = {a.name: a.pk for a in agencies}
    recommendations = []
    for rec in draft.get("recommendations", []):
        actions = []
        for response in rec.get("responses", []):
            agency_id = ids.get(response.get("agency") or "")
            actions += [
                DraftAction(
                    text=action["text"],
                    agency_id=agency_id,
                    status=action.get("status", "unknown"),
                    due=date.fromisoformat(action["due"]) if action.get("due") else None,
                    include=agency_id is not None,
                )
                for action in response.get("actions", [])
            ]
        recommendations.append(
            DraftRecommendation(
                rec["number"], rec["text"], include=rec["number"] not in existing, actions=actions
            )
        )
    return recommendations


def from_post(data: QueryDict, agency_ids: set[int]) -> tuple[list[DraftRecommendation], list[str]]:
    """The corrected draft from the confirmation form, and any problems with it.

    `agency_ids` are the partnership's agencies: any other id posted counts as none chosen.
    """
    problems: list[str] = []
    recommendations = []
    for i in range(_count(data, "rec-count")):
        prefix = f"rec-{i}"
        try:
            number = int(data.get(f"{prefix}-number", ""))
        except ValueError:
            problems.append(f"Recommendation {i + 1}: the number must be a whole number.")
            number = 0
        rec = DraftRecommendation(
            number=number,
            text=data.get(f"{prefix}-text", "").strip(),
            include=data.get(f"{prefix}-include") == "on",
        )
        if rec.include and not rec.text:
            problems.append(f"Recommendation {number}: the text is empty.")
        for j in range(_count(data, f"{prefix}-action-count")):
            action = _action_from_post(data, f"{prefix}-action-{j}", number, agency_ids, problems)
            rec.actions.append(action)
        recommendations.append(rec)
    numbers = [r.number for r in recommendations if r.include]
    if len(numbers) != len(set(numbers)):
        problems.append("Two recommendations have the same number.")
    return recommendations, problems


def _count(data: QueryDict, name: str) -> int:
    """A row count the form posts back (at most MAX_ROWS; anything else is none)."""
    text = data.get(name, "")
    return min(int(text), MAX_ROWS) if _is_number(text) else 0


def _is_number(text: str) -> bool:
    """Digits 0-9 only (`isdigit` alone lets "²" through, which `int` refuses)."""
    return text.isascii() and text.isdigit()


def _action_from_post(
    data: QueryDict, prefix: str, number: int, agency_ids: set[int], problems: list[str]
) -> DraftAction:
    raw_due = data.get(f"{prefix}-due", "")
    due = None
    if raw_due:
        try:
            due = date.fromisoformat(raw_due)
        except ValueError:
            problems.append(f"Recommendation {number}: “{raw_due}” is not a date (YYYY-MM-DD).")
    agency = data.get(f"{prefix}-agency", "")
    action = DraftAction(
        text=data.get(f"{prefix}-text", "").strip(),
        agency_id=int(agency) if _is_number(agency) and int(agency) in agency_ids else None,
        status=data.get(f"{prefix}-status", "unknown"),
        due=due,
        include=data.get(f"{prefix}-include") == "on",
    )
    if action.include and action.agency_id is None:
        problems.append(f"Recommendation {number}: choose the agency for “{action.text[:60]}”.")
    return action


def save_draft(
    user: User, review: Review, recommendations: list[DraftRecommendation], source: str
) -> tuple[int, int]:
    """Save the included recommendations and actions; returns how many of each were saved."""
    permissions.require(user, "review", "manage", record_type="reviews.review", record_id=review.pk)
    with transaction.atomic():
        return _save_draft(user, review, recommendations, source)


def _save_draft(
    user: User, review: Review, recommendations: list[DraftRecommendation], source: str
) -> tuple[int, int]:
    agencies = {a.pk: a for a in Agency.objects.filter(partnership_id=review.partnership_id)}
    saved_recs = saved_actions = 0
    for draft in (r for r in recommendations if r.include):
        existing = Recommendation.objects.filter(review=review, number=draft.number).first()
        chosen = [agencies[a.agency_id] for a in draft.actions if a.include and a.agency_id]
        kept_agencies = list(existing.agencies.all()) if existing else []
        had = set(existing.actions.values_list("agency_id", "description")) if existing else set()
        recommendation = services.save_recommendation(
            user,
            existing or Recommendation(review=review),
            agencies=list(dict.fromkeys(kept_agencies + chosen)),
            themes=list(existing.themes.all()) if existing else [],
            number=draft.number,
            text=draft.text,
        )
        saved_recs += 1
        new = [
            a
            for a in draft.actions
            if a.include and a.agency_id in agencies and (a.agency_id, a.text) not in had
        ]
        for item in new:
            _save_imported_action(user, recommendation, agencies[item.agency_id], item, source)  # type: ignore[index]
            saved_actions += 1
    audit.record(
        user,
        audit.Action.IMPORT,
        review,
        summary=f"Imported {saved_recs} recommendations, {saved_actions} actions from {source}",
    )
    return saved_recs, saved_actions


def _save_imported_action(
    user: User, recommendation: Recommendation, agency: Agency, item: DraftAction, source: str
) -> Action:
    action = services.save_action(
        user,
        Action(recommendation=recommendation, agency=agency),
        description=item.text,
        due_date=item.due,
    )
    services.append_update(
        user,
        action,
        kind=ActionUpdate.Kind.IMPORTED,
        status=DOCUMENT_STATUS.get(item.status, ActionStatus.NOT_STARTED),
        narrative=f"Imported from {source}, where it reads as {item.status.replace('_', ' ')}.",
    )
    return action
