"""A review's progress report for the learning group: one page per recommendation, as HTML that
prints cleanly and as PDF, stamped as every Assure report is (domain.md section 10).

The report's data is gathered once, in a fixed number of queries however many actions there
are; its digest is SHA-256 of that data as canonical JSON, so two copies made from the same
inputs can be told to say the same.
"""

import functools
import hashlib
import json
from collections import defaultdict
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Count, Prefetch

from assure.accounts.models import User
from assure.audits.grades import AuditTrend, audit_trends
from assure.core.calendar import add_months
from assure.core.viewer import Viewer
from assure.indicators import selectors as trackers
from assure.indicators.disclosure import Disclosure
from assure.indicators.engine import REGISTRY, compute, load_catalogue
from assure.reviews import lifecycle, measures, rag
from assure.reviews.models import Action, ActionUpdate, Evidence, Rag, Recommendation, Review
from assure.selfassessment.models import Rating
from assure.selfassessment.selectors import Standing, standings

DECISIONS = (
    ActionUpdate.Kind.ASSURED,
    ActionUpdate.Kind.EMBEDDED,
    ActionUpdate.Kind.SENT_BACK,
)
TREND_MONTHS_SHOWN = 6

# A self-assessment round's standard is judged by its ratings first: one rated fully met by
# every agency that submitted needs no action, so it is not red for having none.
NOT_NEEDED = "not_needed"
NOT_RATED = "not_rated"
STANDING_LABELS = {NOT_NEEDED: "No action needed", NOT_RATED: "Not rated yet"}
ROUND_RULE_TEXT = (
    "For a self-assessment round, each recommendation is one standard, judged by the ratings "
    "of the agencies that have submitted (the learning group's rating where its challenge "
    "changed one): no action is needed where every one rated it fully met; red where an agency "
    "rated it partly met or not met and has no improvement action; otherwise its improvement "
    "actions are rated as any recommendation's are."
)


def assure_version() -> str:
    try:
        return version("assure")
    except PackageNotFoundError:
        return "unknown"


@dataclass(frozen=True)
class Decision:
    """One assurance decision: who made it, when, on which action, and what they examined."""

    action: str
    decision: str
    who: str
    agency: str
    on: str  # ISO date
    examined: str
    basis: str = ""


@dataclass(frozen=True)
class MonthFigure:
    month: str
    value: float | None  # None when nothing was counted or the viewer may not see it
    due: str  # obligations counted that month, as the viewer may see them ("fewer than 5")
    shown: bool  # False: the share rests on a count hidden outside child-level roles


@dataclass(frozen=True)
class MeasureTrend:
    """A linked measure's latest months: a tracker's share done on time and how many were
    counted, or another kind's monthly figure (`about` says what it is; nothing `counted`)."""

    id: str
    title: str
    target: float | None
    months: list[MonthFigure]
    about: str = ""
    counted: bool = True

    @property
    def latest(self) -> MonthFigure | None:
        return next((m for m in reversed(self.months) if m.value is not None), None)


@dataclass(frozen=True)
class ReadingFigure:
    """A linked survey or escalation measure's latest figure against the recommendation's
    target (`reviews.measures.Reading`, as plain values)."""

    id: str
    title: str
    value: float | None  # None: nothing to count yet, or hidden (small numbers)
    hidden: bool
    target: float
    at_target: bool
    basis: str  # which run or window, with the counts anyone may see


@dataclass(frozen=True)
class StandingWords:
    """One agency's rating of a round's standard, in words."""

    agency: str
    rating: str
    challenged: str  # empty: not challenged, or the learning group kept the agency's rating


@dataclass(frozen=True)
class RecommendationPage:
    number: int
    text: str
    addressed_to: list[str]
    owner_agencies: list[str]
    owner_people: list[str]
    actions: int
    statuses: dict[str, int]
    rag: str
    rag_words: str
    evidence_count: int
    decisions: list[Decision]
    measures: list[MeasureTrend]
    audit_measures: list[AuditTrend]  # linked audit tools' grades
    readings: list[ReadingFigure]  # linked survey questions and escalation figures
    standings: list[StandingWords] = field(default_factory=list)  # a round's ratings
    unshown: list[str] = field(default_factory=list)  # linked, with no figure the viewer sees

    @property
    def rag_label(self) -> str:
        return STANDING_LABELS.get(self.rag) or Rag(self.rag).label


@dataclass(frozen=True)
class Stamp:
    """What every report states: whose, as at when, made when and by what, from which data."""

    partnership: str
    as_at: str
    made_at: str
    assure_version: str
    snapshot: str
    timescales: str
    digest: str


@dataclass
class ProgressReport:
    review: Review
    pages: list[RecommendationPage]
    stamp: Stamp = field(init=False)
    rag_rule: str = rag.RULE_TEXT

    def data(self) -> dict[str, Any]:
        """Everything the report says, as plain values (the digest's input)."""
        return {
            "review": {"id": self.review.pk, "title": str(self.review)},
            "rag_rule": self.rag_rule,
            "recommendations": [asdict(p) for p in self.pages],
        }


def digest(data: dict[str, Any]) -> str:
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _name(user: User | None) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _decision(update: ActionUpdate) -> Decision:
    examined = update.evidence_examined or update.narrative
    return Decision(
        action=update.action.description[:120],
        decision=update.get_kind_display(),
        who=_name(update.author),
        agency=update.author.agency.name if update.author.agency else "",
        on=update.created_at.date().isoformat(),
        examined=examined,
        basis=update.get_embedded_basis_display() if update.embedded_basis else "",
    )


def _trends(viewer: Viewer, measure_ids: set[str]) -> dict[str, MeasureTrend]:
    """Each linked measure's last months against its target, computed once per measure."""
    load_catalogue()
    pid = viewer.partnership_id
    snapshot = trackers.current_snapshot(pid)
    found: dict[str, MeasureTrend] = {}
    may_see = viewer.can("case_data", "view")
    disclosure = Disclosure.for_viewer(viewer)
    for measure_id in sorted(measure_ids):
        indicator = REGISTRY.get(measure_id)
        if indicator is None:
            continue
        months: list[MonthFigure] = []
        target = indicator.target
        if snapshot is not None and may_see:
            window = trackers.trend_months(snapshot.extract_date)
            overall = compute(measure_id, pid, window[0].start, snapshot.extract_date)
            tallies = trackers.trend(measure_id, pid, window, overall)
            for tally in tallies[-TREND_MONTHS_SHOWN:]:
                row = disclosure.row(tally)
                months.append(
                    MonthFigure(tally.name, row.value, str(row.total), not row.value_hidden)
                )
            target = overall.indicator.target  # the partnership's own target, if it set one
        found[measure_id] = MeasureTrend(measure_id, indicator.title, target, months)
    return found


def _monthly(viewer: Viewer, measure_ids: set[str], today: date) -> dict[str, MeasureTrend]:
    """Each linked measure of a kind with monthly figures (a course's reach, a product's
    dissemination), over its latest complete months, read as the action page reads it."""
    first = add_months(today.replace(day=1), -TREND_MONTHS_SHOWN - 1)
    months = measures.complete_months(first, today)[-TREND_MONTHS_SHOWN:]
    found = measures.monthly_records(viewer.partnership_id, sorted(measure_ids), months, viewer)
    return {
        measure_id: MeasureTrend(
            measure_id,
            record.title,
            record.target,
            [MonthFigure(m.label, m.value, "", not m.hidden) for m in record.months],
            about=record.indicator.measures,
            counted=False,
        )
        for measure_id, record in found.items()
    }


def _audit_trends(viewer: Viewer, review: Review, measure_ids: set[str]) -> dict[str, AuditTrend]:
    """Each linked audit tool's latest months, for those who may see audit results."""
    if not viewer.can("audit", "view"):
        return {}
    exact = viewer.can("audit", "view", child_level=True)
    trends = audit_trends(review.partnership_id, sorted(measure_ids), exact=exact)
    return {trend.id: trend for trend in trends}


def _reading(reading: measures.Reading, target: float) -> ReadingFigure:
    judged = replace(reading, target=target)
    return ReadingFigure(
        judged.id,
        judged.title,
        judged.value,
        judged.hidden,
        target,
        judged.at_target,
        judged.basis,
    )


def _standard_rating(counted: list[Action], rated: list[Standing], today: date) -> tuple[str, str]:
    """A round's standard by its ratings (`ROUND_RULE_TEXT`): its status and why, in words."""
    below = [s for s in rated if s.final != Rating.FULLY_MET]
    acting = {a.agency_id for a in counted}
    missing = [s for s in below if s.agency_id not in acting]
    if missing:
        said = "; ".join(f"{s.agency}: {Rating(s.final).label.lower()}" for s in missing)
        return Rag.RED.value, f"Red: rated below fully met with no improvement action ({said})."
    if not counted:
        if not rated:
            return NOT_RATED, "Not rated yet: no agency has submitted its self-assessment."
        agencies = "the agency" if len(rated) == 1 else f"each of the {len(rated)} agencies"
        return NOT_NEEDED, f"No action needed: rated fully met by {agencies} that submitted."
    rating = rag.rating(counted, today)
    return rating.value, rag.RULE[rating]


def _standing_words(standing: Standing) -> StandingWords:
    changed = standing.challenged and standing.challenged != standing.rating
    return StandingWords(
        standing.agency,
        Rating(standing.rating).label,
        Rating(standing.challenged).label if changed else "",
    )


def _snapshot_words(viewer: Viewer) -> str:
    snapshot = trackers.current_snapshot(viewer.partnership_id)
    if snapshot is None:
        return "No case data imported"
    return f"Extract of {snapshot.extract_date.isoformat()}, checksum {snapshot.checksum}"


def progress_report(
    viewer: Viewer, review: Review, today: date, made_at: datetime
) -> ProgressReport:
    """The report of one review (already checked to be in the person's partnership)."""
    actions = Action.objects.filter(status__in=lifecycle.COUNTED).select_related("agency", "owner")
    recommendations = list(
        Recommendation.objects.filter(review=review)
        .order_by("number")
        .prefetch_related("agencies", Prefetch("actions", queryset=actions))
    )
    updates = (
        ActionUpdate.objects.filter(
            action__recommendation__review=review,
            action__status__in=lifecycle.COUNTED,
            kind__in=DECISIONS,
        )
        .select_related("author__agency", "action")
        .order_by("created_at", "id")
    )
    decisions: dict[int, list[Decision]] = defaultdict(list)
    for update in updates:
        decisions[update.action.recommendation_id].append(_decision(update))
    evidence = dict(
        Evidence.objects.filter(
            update__action__recommendation__review=review,
            update__action__status__in=lifecycle.COUNTED,
        )
        .values_list("update__action__recommendation_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    wanted: set[str] = set()
    for rec in recommendations:
        wanted.update(rec.measures)
        wanted.update(a.measure for a in rec.actions.all() if a.measure)
    trends = _trends(viewer, wanted) | _monthly(viewer, wanted, today)
    audited = _audit_trends(viewer, review, wanted)
    read = measures.readings(review.partnership_id, sorted(wanted), today, viewer)
    is_round = review.review_type == Review.Type.SELF_ASSESSMENT
    rated = standings(review.pk) if is_round else {}
    pages = []
    for rec in recommendations:
        counted = list(rec.actions.all())
        if is_round:
            status, words = _standard_rating(counted, rated.get(rec.number, []), today)
        else:
            rating = rag.rating(counted, today)
            status, words = rating.value, rag.RULE[rating]
        statuses: dict[str, int] = defaultdict(int)
        for action in counted:
            statuses[action.get_status_display()] += 1
        measure_ids = list(rec.measures) + sorted(
            {a.measure for a in counted if a.measure} - set(rec.measures)
        )
        addressed = (["The partnership"] if rec.to_partnership else []) + [
            a.name for a in rec.agencies.all()
        ]
        shown = trends.keys() | audited.keys() | read.keys()
        pages.append(
            RecommendationPage(
                number=rec.number,
                text=rec.text,
                addressed_to=addressed,
                owner_agencies=sorted({a.agency.name for a in counted}),
                owner_people=sorted(
                    {f"{_name(a.owner)} ({a.agency.name})" for a in counted if a.owner}
                ),
                actions=len(counted),
                statuses=dict(statuses),
                rag=status,
                rag_words=words,
                evidence_count=evidence.get(rec.pk, 0),
                decisions=decisions.get(rec.pk, []),
                measures=[trends[m] for m in measure_ids if m in trends],
                audit_measures=[audited[m] for m in rec.measures if m in audited],
                readings=[
                    _reading(read[m], rec.measure_target / 100) for m in measure_ids if m in read
                ],
                standings=[_standing_words(s) for s in rated.get(rec.number, [])],
                unshown=[m for m in measure_ids if m not in shown],
            )
        )
    report = ProgressReport(review, pages)
    if is_round:
        report.rag_rule = f"{rag.RULE_TEXT} {ROUND_RULE_TEXT}"
    snapshot = _snapshot_words(viewer)
    timescales = (
        str(getattr(settings, "ASSURE_TIMESCALES_FILE", "") or "")
        or "Assure's built-in statutory and local timescales"
    )
    inputs = {"as_at": today.isoformat(), "snapshot": snapshot, "timescales": timescales}
    report.stamp = Stamp(
        partnership=review.partnership.name,
        as_at=today.isoformat(),
        made_at=made_at.isoformat(timespec="seconds"),
        assure_version=assure_version(),
        snapshot=snapshot,
        timescales=timescales,
        digest=digest(report.data() | inputs),
    )
    return report


def refuse_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """WeasyPrint may fetch nothing: the report's styles are given to it, and links stay links."""
    raise ValueError(f"The PDF renderer does not fetch {url}")


@functools.lru_cache(maxsize=2)
def _stylesheet(path: str, modified: float) -> Any:
    """The service stylesheet parsed for the PDF renderer once (per version of the file)."""
    from weasyprint import CSS

    return CSS(filename=path, url_fetcher=refuse_fetch)


def pdf(html: str) -> bytes:
    """The report's HTML as PDF, styled by the service's own stylesheet (its print rules)."""
    from django.contrib.staticfiles import finders
    from weasyprint import HTML

    found = finders.find("assure.css")
    path = str(found) if found else ""
    styles = [_stylesheet(path, Path(path).stat().st_mtime)] if path else []
    document = HTML(string=html, url_fetcher=refuse_fetch)
    result: bytes = document.write_pdf(stylesheets=styles)
    return result
