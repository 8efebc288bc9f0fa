"""Turning a parsed review document into recommendations and actions, after a person corrects it."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.http import QueryDict

from assure.accounts.models import Agency, Partnership, User
from assure.core import audit
from assure.core.viewer import Viewer
from assure.reviewdocs import AgencyName
from assure.reviewdocs.agencies import AgencyMatcher
from assure.reviewdocs.status import reads_as_past_report
from assure.reviews import services
from assure.reviews.models import Action, ActionStatus, ActionUpdate, Recommendation, Review

MAX_ROWS = 500  # recommendations, or actions in one, that a confirmation form may post
# A document saying "done" is not evidence: such an action waits in progress until its agency
# adds evidence (or says why none is possible) and marks it implemented.
DOCUMENT_STATUS = {
    "done": ActionStatus.IN_PROGRESS,
    "in_progress": ActionStatus.IN_PROGRESS,
    "planned": ActionStatus.NOT_STARTED,
    "unknown": ActionStatus.NOT_STARTED,
}


PARTNERSHIP_AGENCY = 0  # the partnership's own agency, made when the draft is saved
PAST_WORK = "Reads as a report of past work, not a commitment."


@dataclass
class DraftAction:
    text: str
    agency_id: int | None
    status: str
    due: date | None
    include: bool = True
    owner_needs_check: bool = False  # the document named no agency: the owner is a guess
    note: str = ""


@dataclass
class AgencyDefaults:
    """One owner and one due date for all of an agency's draft actions (a row's own date wins)."""

    owner_id: int | None = None
    due: date | None = None


def partnership_agency(partnership: Partnership) -> Agency | None:
    """The partnership's own agency (its learning group and business unit), if made yet."""
    return Agency.objects.filter(
        partnership=partnership, agency_type=Agency.Type.PARTNERSHIP
    ).first()


def _ensure_partnership_agency(partnership: Partnership) -> Agency:
    found = partnership_agency(partnership)
    if found is not None:
        return found
    made, _ = Agency.objects.get_or_create(
        partnership=partnership,
        name=f"{partnership.name}: learning group and business unit",
        defaults={"agency_type": Agency.Type.PARTNERSHIP},
    )
    return made


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

    A statement naming no agency goes to the agency its recommendation is addressed to, else
    to the partnership's own agency, flagged for a person to check. Sentences reporting past
    work start unticked, and so do recommendations whose number the review already has.
    """
    ids = {a.name: a.pk for a in agencies}
    own = next((a.pk for a in agencies if a.agency_type == Agency.Type.PARTNERSHIP), None)
    matcher = AgencyMatcher(
        [
            AgencyName(a.name, tuple(a.aliases))
            for a in agencies
            if a.agency_type != Agency.Type.PARTNERSHIP
        ]
    )
    recommendations = []
    for rec in draft.get("recommendations", []):
        addressed = ids.get(matcher.addressed(rec["text"]) or "")
        actions = []
        for response in rec.get("responses", []):
            agency_id = ids.get(response.get("agency") or "")
            guessed = agency_id is None
            if guessed:
                agency_id = addressed or (PARTNERSHIP_AGENCY if own is None else own)
            actions += [_draft_action(action, agency_id, guessed) for action in response["actions"]]
        recommendations.append(
            DraftRecommendation(
                rec["number"], rec["text"], include=rec["number"] not in existing, actions=actions
            )
        )
    return recommendations


def _draft_action(action: dict[str, Any], agency_id: int | None, guessed: bool) -> DraftAction:
    past = reads_as_past_report(action["text"])
    return DraftAction(
        text=action["text"],
        agency_id=agency_id,
        status=action.get("status", "unknown"),
        due=date.fromisoformat(action["due"]) if action.get("due") else None,
        include=not past,
        owner_needs_check=guessed,
        note=PAST_WORK if past else "",
    )


def from_post(
    data: QueryDict, agency_ids: set[int], owners: dict[int, set[int]]
) -> tuple[list[DraftRecommendation], dict[int, AgencyDefaults], list[str]]:
    """The corrected draft from the confirmation form, each agency's owner and date, and any
    problems with them.

    `agency_ids` are the agencies a row may choose (any other id posted counts as none
    chosen); `owners` the people who may own each agency's actions.
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
    defaults = {
        agency_id: _defaults_from_post(data, agency_id, owners.get(agency_id, set()), problems)
        for agency_id in sorted(agency_ids)
    }
    return recommendations, defaults, problems


def _defaults_from_post(
    data: QueryDict, agency_id: int, owners: set[int], problems: list[str]
) -> AgencyDefaults:
    owner = data.get(f"bulk-{agency_id}-owner", "")
    defaults = AgencyDefaults(owner_id=int(owner) if _is_number(owner) else None)
    if defaults.owner_id is not None and defaults.owner_id not in owners:
        problems.append("Choose an owner who works for the agency, or leave the owner blank.")
        defaults.owner_id = None
    raw_due = data.get(f"bulk-{agency_id}-due", "")
    if raw_due:
        try:
            defaults.due = date.fromisoformat(raw_due)
        except ValueError:
            problems.append(f"“{raw_due}” is not a date: enter the due date as YYYY-MM-DD.")
    return defaults


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
    text = data.get(f"{prefix}-text", "").strip()
    action = DraftAction(
        text=text,
        agency_id=int(agency) if _is_number(agency) and int(agency) in agency_ids else None,
        status=data.get(f"{prefix}-status", "unknown"),
        due=due,
        include=data.get(f"{prefix}-include") == "on",
        # Still the guess it was offered as: a person who chose another agency has checked it.
        owner_needs_check=bool(agency) and data.get(f"{prefix}-guess") == agency,
        note=PAST_WORK if reads_as_past_report(text) else "",
    )
    if action.include and action.agency_id is None:
        problems.append(f"Recommendation {number}: choose the agency for “{action.text[:60]}”.")
    return action


def _imported_narrative(source: str, status: str) -> str:
    said = f"Imported from {source}, where it reads as {status.replace('_', ' ')}."
    if status == "done":
        return f"{said} Add evidence, or say why none is possible, to mark it implemented."
    return said


def save_draft(
    viewer: Viewer,
    review: Review,
    recommendations: list[DraftRecommendation],
    source: str,
    defaults: dict[int, AgencyDefaults] | None = None,
) -> tuple[int, int]:
    """Save the included recommendations and actions; returns how many of each were saved.

    `defaults` gives each agency's owner and due date for its actions (a row's date wins).
    """
    viewer.require("review", "manage", record_type="reviews.review", record_id=review.pk)
    with transaction.atomic():
        return _save_draft(viewer, review, recommendations, source, defaults or {})


def _save_draft(
    viewer: Viewer,
    review: Review,
    recommendations: list[DraftRecommendation],
    source: str,
    defaults: dict[int, AgencyDefaults],
) -> tuple[int, int]:
    agencies = {a.pk: a for a in Agency.objects.filter(partnership_id=review.partnership_id)}
    included = [a for r in recommendations if r.include for a in r.actions if a.include]
    if any(a.agency_id == PARTNERSHIP_AGENCY for a in included):
        own = _ensure_partnership_agency(review.partnership)
        agencies[PARTNERSHIP_AGENCY] = agencies[own.pk] = own
    owner_ids = {d.owner_id for d in defaults.values() if d.owner_id}
    owners = {u.pk: u for u in User.objects.filter(pk__in=owner_ids, is_active=True)}
    saved_recs = saved_actions = 0
    for draft in (r for r in recommendations if r.include):
        existing = Recommendation.objects.filter(review=review, number=draft.number).first()
        chosen = [
            agencies[a.agency_id] for a in draft.actions if a.include and a.agency_id in agencies
        ]
        kept_agencies = list(existing.agencies.all()) if existing else []
        had = set(existing.actions.values_list("agency_id", "description")) if existing else set()
        recommendation = services.save_recommendation(
            viewer,
            existing or Recommendation(review=review),
            agencies=list(dict.fromkeys(kept_agencies + chosen)),
            themes=list(existing.themes.all()) if existing else [],
            number=draft.number,
            text=draft.text,
        )
        saved_recs += 1
        for item in draft.actions:
            if item.agency_id not in agencies or not item.include:
                continue
            agency = agencies[item.agency_id]
            if (agency.pk, item.text) in had:
                continue
            default = defaults.get(item.agency_id) or defaults.get(agency.pk) or AgencyDefaults()
            owner = owners.get(default.owner_id) if default.owner_id else None
            _save_imported_action(
                viewer, recommendation, agency, item, source, owner, item.due or default.due
            )
            saved_actions += 1
    audit.record(
        viewer,
        audit.Action.IMPORT,
        review,
        summary=f"Imported {saved_recs} recommendations, {saved_actions} actions from {source}",
    )
    return saved_recs, saved_actions


def _save_imported_action(
    viewer: Viewer,
    recommendation: Recommendation,
    agency: Agency,
    item: DraftAction,
    source: str,
    owner: User | None,
    due: date | None,
) -> Action:
    action = services.save_action(
        viewer,
        Action(recommendation=recommendation, agency=agency),
        description=item.text,
        due_date=due,
        owner=owner if owner is not None and owner.agency_id == agency.pk else None,
        owner_needs_check=item.owner_needs_check,
    )
    services.append_update(
        viewer,
        action,
        kind=ActionUpdate.Kind.IMPORTED,
        status=DOCUMENT_STATUS.get(item.status, ActionStatus.NOT_STARTED),
        narrative=_imported_narrative(source, item.status),
    )
    return action
