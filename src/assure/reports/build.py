"""The partnership's assurance report for a quarter, gathered as plain data, and its digest.

A report is a list of sections. Each section is a function registered here with `section`:
it takes the `Context` (partnership, quarter, the date it is as at, the case-data snapshot)
and returns plain values (dicts, lists, strings, numbers) or None, and a None section is left
out entirely, heading and all. Later features add their section by registering one function
and one template (`reports/sections/<key>.html`), nothing else.

The digest (domain.md section 10) is SHA-256 of the data as canonical JSON: keys sorted,
dates ISO, numbers that are not whole as strings of fixed precision. Only "made at" and the
Assure version stand outside it, so two copies made from the same inputs have one digest.

Past quarters (ADR 8): reviews and actions are read as they stood at the quarter's end from
their append-only history; case data from the snapshot current at the quarter's end, whose
counts are kept (`KeptFigures`) the first time a report reads them, because its rows are
replaced by the next import.
"""

import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cached_property
from importlib.metadata import PackageNotFoundError, version
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from assure.accounts.models import Partnership, User
from assure.audits.grades import GOOD_OR_BETTER, disclose, grade_counts
from assure.audits.models import GRADE_ORDER, Audit
from assure.casedata.models import ImportSnapshot
from assure.core import timescales
from assure.core.calendar import add_months, end_of_month
from assure.indicators.disclosure import Disclosure, Sum
from assure.indicators.engine import REGISTRY, compute, load_catalogue, shared_rows, with_target
from assure.indicators.figures import catalogue_figures
from assure.indicators.selectors import COUNTED, Month, Tally, trend
from assure.reports.impact import Proportion, pooled_words, two_proportion_test
from assure.reports.models import KeptFigures
from assure.reports.periods import Quarter
from assure.reviews import lifecycle, rag, rules
from assure.reviews.measures import kind_of
from assure.reviews.models import Action, ActionUpdate, Evidence, Rag, Recommendation, Review

BEFORE_MONTHS = 12
SINCE_MONTHS_SHOWN = 12
DECISIONS = (ActionUpdate.Kind.ASSURED, ActionUpdate.Kind.EMBEDDED, ActionUpdate.Kind.SENT_BACK)
EMBEDDING = (ActionUpdate.Kind.EMBEDDED, ActionUpdate.Kind.CONFIRMED_EMBEDDED)
MILESTONE_COUNTED = ("met", "late", "overdue")


def assure_version() -> str:
    try:
        return version("assure")
    except PackageNotFoundError:
        return "unknown"


# ---- the context every section reads -------------------------------------------------------


def snapshot_at(partnership_id: int, moment: datetime) -> ImportSnapshot | None:
    """The snapshot current at `moment`: the latest imported before it."""
    return (
        ImportSnapshot.objects.filter(partnership_id=partnership_id, imported_at__lt=moment)
        .order_by("-imported_at", "-id")
        .first()
    )


@dataclass(frozen=True)
class ActionState:
    """An action as it stood at the report's moment."""

    action: Action
    status: str


@dataclass
class Context:
    partnership: Partnership
    quarter: Quarter
    as_at: date  # the quarter's last day, or today for the quarter under way
    snapshot: ImportSnapshot | None
    disclosure: Disclosure
    _kept: dict[str, Any] = field(default_factory=dict)

    @property
    def moment(self) -> datetime:
        """History before this instant counts."""
        return timezone.make_aware(
            datetime.combine(self.as_at + timedelta(days=1), datetime.min.time())
        )

    @property
    def live(self) -> bool:
        """Whether the report is as at today (the quarter under way): no history to rewind."""
        return self.moment > timezone.now()

    @property
    def data_end(self) -> date | None:
        """The last day case data can speak for: the as-at date or the extract's, if earlier."""
        if self.snapshot is None:
            return None
        return min(self.as_at, self.snapshot.extract_date)

    @cached_property
    def snapshot_is_current(self) -> bool:
        current = ImportSnapshot.current(self.partnership.pk)
        return self.snapshot is not None and current is not None and current.pk == self.snapshot.pk

    def kept(self, key: str, make: Callable[[], Any]) -> Any:
        """Counts read from the snapshot: kept ones, else made now if its rows are still the
        current ones (and kept), else None: they cannot be read any more."""
        if key in self._kept:
            return self._kept[key]
        assert self.snapshot is not None
        found = KeptFigures.objects.filter(snapshot=self.snapshot, key=key).first()
        figures: Any = None
        if found is not None:
            figures = found.figures
        elif self.snapshot_is_current:
            figures = make()
            try:
                with transaction.atomic():
                    KeptFigures.objects.create(snapshot=self.snapshot, key=key, figures=figures)
            except IntegrityError:
                pass  # kept at the same time by another run
        self._kept[key] = figures
        return figures

    # ---- reviews as they stood ---------------------------------------------------------

    @cached_property
    def reviews(self) -> list[Review]:
        return list(
            Review.objects.filter(
                partnership=self.partnership, created_at__lt=self.moment
            ).order_by("created_at", "id")
        )

    @cached_property
    def recommendations(self) -> list[Recommendation]:
        return list(
            Recommendation.objects.filter(review__in=[r.pk for r in self.reviews])
            .prefetch_related("agencies")
            .order_by("review_id", "number")
        )

    @cached_property
    def updates(self) -> list[ActionUpdate]:
        return list(
            ActionUpdate.objects.filter(partnership=self.partnership, created_at__lt=self.moment)
            .select_related("author__agency")
            .order_by("created_at", "id")
        )

    @cached_property
    def actions(self) -> list[ActionState]:
        """Each action made by the moment, with its status then (from its history)."""
        found = Action.objects.filter(
            partnership=self.partnership, created_at__lt=self.moment
        ).select_related("agency", "owner")
        latest: dict[int, str] = {}
        for update in self.updates:
            latest[update.action_id] = update.status
        with_history: set[int] = set()
        if not self.live:
            with_history = set(
                ActionUpdate.objects.filter(partnership=self.partnership)
                .values_list("action_id", flat=True)
                .distinct()
            )
        states = []
        for action in found.order_by("recommendation_id", "id"):
            if self.live:
                status = action.status
            elif action.pk in latest:
                status = latest[action.pk]
            else:  # made with its status and no history yet, or not started then
                status = lifecycle.S.NOT_STARTED if action.pk in with_history else action.status
            states.append(ActionState(action, status))
        return states

    def counted(self, recommendation_id: int) -> list[Action]:
        """The recommendation's counted actions, each carrying its status at the moment."""
        return self._counted_by_rec.get(recommendation_id, [])

    @cached_property
    def _counted_by_rec(self) -> dict[int, list[Action]]:
        by_rec: dict[int, list[Action]] = defaultdict(list)
        for state in self.actions:
            if state.status in lifecycle.COUNTED:
                as_then = Action(
                    pk=state.action.pk,
                    status=state.status,
                    due_date=state.action.due_date,
                    agency=state.action.agency,
                    owner=state.action.owner,
                    description=state.action.description,
                    measure=state.action.measure,
                    recommendation_id=state.action.recommendation_id,
                )
                by_rec[state.action.recommendation_id].append(as_then)
        return by_rec


# ---- the registry --------------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    make: Callable[[Context], dict[str, Any] | None]
    template: str


SECTIONS: list[Section] = []


def section(key: str, title: str, template: str = "") -> Callable[..., Any]:
    """Register a section function (in report order); `template` defaults to
    `reports/sections/<key>.html`."""

    def register(make: Callable[[Context], dict[str, Any] | None]) -> Callable[..., Any]:
        if any(s.key == key for s in SECTIONS):
            raise ValueError(f"Report section {key!r} is registered twice")
        SECTIONS.append(Section(key, title, make, template or f"reports/sections/{key}.html"))
        return make

    return register


# ---- helpers ---------------------------------------------------------------------------------


def _name(user: User | None) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _local_date(moment: datetime) -> str:
    return timezone.localtime(moment).date().isoformat()


def _milestones(review: Review, as_at: date) -> list[rules.Milestone]:
    """The review's statutory timeline as it stood at `as_at` (later dates not yet known)."""
    fields = (
        "incident_known",
        "notification_sent",
        "rapid_review_held",
        "decision_date",
        "final_received",
        "final_sent_to_panel",
        "published",
    )
    then = SimpleNamespace(
        **{name: (d if (d := getattr(review, name)) and d <= as_at else None) for name in fields}
    )
    return rules.review_timeline(then, as_at)


def _is_open(review: Review, as_at: date) -> bool:
    published = review.published is not None and review.published <= as_at
    return not published and review.status != Review.Status.CLOSED


def _case_reviews(ctx: Context) -> tuple[list[Review], list[Recommendation]]:
    """The reviews and recommendations the review sections speak of: self-assessment rounds'
    standards are in their own section (their improvement actions still count as actions)."""
    found = [r for r in ctx.reviews if r.review_type != Review.Type.SELF_ASSESSMENT]
    ids = {r.pk for r in found}
    return found, [rec for rec in ctx.recommendations if rec.review_id in ids]


def _status_words(actions: Sequence[Action]) -> dict[str, int]:
    counts = Counter(lifecycle.S(a.status).label for a in actions)
    return dict(sorted(counts.items()))


# ---- sections ----------------------------------------------------------------------------


@section("summary", "Summary")
def summary(ctx: Context) -> dict[str, Any]:
    """Reviews open and the statutory milestones of those that have them, recommendations by
    status, overdue actions by agency (every action, self-assessments' improvement actions
    included), and what the learning group assured and embedded in the quarter."""
    case_reviews, recommendations = _case_reviews(ctx)
    reviews = []
    untimed = []
    milestone_counts: Counter[str] = Counter()
    for review in case_reviews:
        if not _is_open(review, ctx.as_at):
            continue
        if not review.has_statutory_timeline:
            untimed.append({"title": str(review), "type": review.get_review_type_display()})
            continue
        steps = _milestones(review, ctx.as_at)
        milestone_counts.update(m.status for m in steps if m.status in MILESTONE_COUNTED)
        reviews.append(
            {
                "title": str(review),
                "type": review.get_review_type_display(),
                "steps": "|".join(m.name for m in steps),
                "milestones": [
                    {
                        "name": m.name,
                        "due": m.due.isoformat() if m.due else None,
                        "done": m.done.isoformat() if m.done else None,
                        "status": m.status,
                    }
                    for m in steps
                ],
            }
        )
    ratings: Counter[str] = Counter()
    for rec in recommendations:
        ratings[rag.rating(ctx.counted(rec.pk), ctx.as_at).value] += 1
    overdue: Counter[str] = Counter()
    for state in ctx.actions:
        a = state.action
        if state.status in lifecycle.OPEN and a.due_date is not None and a.due_date < ctx.as_at:
            overdue[a.agency.name] += 1
    start = timezone.make_aware(datetime.combine(ctx.quarter.start, datetime.min.time()))
    in_quarter = [u for u in ctx.updates if u.created_at >= start]
    assured = sum(1 for u in in_quarter if u.kind == ActionUpdate.Kind.ASSURED)
    embedded = sum(1 for u in in_quarter if u.kind in EMBEDDING)
    return {
        "open_reviews": reviews,
        "open_without_timeline": untimed,
        "milestones": {s: milestone_counts[s] for s in MILESTONE_COUNTED},
        "recommendations": {r.value: ratings[r.value] for r in Rag},
        "rag_rule": rag.RULE_TEXT,
        "overdue_by_agency": [{"agency": k, "actions": overdue[k]} for k in sorted(overdue)],
        "assured_in_quarter": assured,
        "embedded_in_quarter": embedded,
    }


def accepted_on(review: Review) -> date:
    """When a review's recommendations count as accepted: the final report received, else the
    rapid review held, else the day the review was recorded."""
    return (
        review.final_received
        or review.rapid_review_held
        or timezone.localtime(review.created_at).date()
    )


def _months(first: date, last: date) -> list[Month]:
    """Whole calendar months from `first`'s month to `last`'s month."""
    months = []
    day = first.replace(day=1)
    while day <= last:
        end = end_of_month(day.year, day.month)
        months.append(Month(day.strftime("%b %Y"), day, end))
        day = end + timedelta(days=1)
    return months


@dataclass
class MeasureMonths:
    """A measure's monthly counts from the snapshot (kept), and its target."""

    target: float
    counts: dict[str, list[int]]  # month start (ISO) -> met, late, overdue, breach


def _measure_months(ctx: Context, indicator_id: str, first: date) -> MeasureMonths | None:
    """One computation per measure over every month any recommendation needs."""
    data_end = ctx.data_end
    assert data_end is not None
    last_full = end_of_month(data_end.year, data_end.month)
    if last_full > data_end:  # the extract's month is not complete
        last_full = data_end.replace(day=1) - timedelta(days=1)
    if last_full < first:
        return MeasureMonths(with_target(REGISTRY[indicator_id]).target, {})
    months = _months(first, last_full)

    def make() -> dict[str, Any]:
        with shared_rows():
            overall = compute(indicator_id, ctx.partnership.pk, months[0].start, months[-1].end)
            tallies = trend(indicator_id, ctx.partnership.pk, months, overall)
        return {
            "target": overall.indicator.target,
            "counts": {
                m.start.isoformat(): [getattr(t, s) for s in COUNTED]
                for m, t in zip(months, tallies, strict=True)
            },
        }

    kept = ctx.kept(f"months:{indicator_id}:{first.isoformat()}:{last_full.isoformat()}", make)
    if kept is None:
        return None
    return MeasureMonths(kept["target"], kept["counts"])


def _tally(name: str, counts: Sequence[int]) -> Tally:
    return Tally(name, "", *counts)


@dataclass(frozen=True)
class Windows:
    """The months (ISO month starts) a review's impact compares: the 12 before acceptance and
    those since (from the month after it, the latest 12 at most)."""

    before: list[str]
    since: list[str]


def _windows(accepted: date, found: MeasureMonths) -> Windows:
    first_before = add_months(accepted.replace(day=1), -BEFORE_MONTHS)
    before = [
        m.start.isoformat()
        for m in _months(first_before, accepted.replace(day=1) - timedelta(days=1))
    ]
    since_start = add_months(accepted.replace(day=1), 1).isoformat()
    since = [k for k in sorted(found.counts) if k >= since_start][-SINCE_MONTHS_SHOWN:]
    return Windows(before, since)


def _span(keys: Sequence[str]) -> str:
    if not keys:
        return ""
    first, last = (date.fromisoformat(k).strftime("%b %Y") for k in (keys[0], keys[-1]))
    return first if first == last else f"{first} to {last}"


ZERO = [0, 0, 0, 0]


def _impact(
    ctx: Context, indicator_id: str, accepted: date, found: MeasureMonths
) -> dict[str, Any]:
    """The 12 months before acceptance pooled against the months since, and the test. The
    months themselves are in the measure's table (`_measure_table`), once per report."""
    windows = _windows(accepted, found)
    before = _pooled(
        "12 months before", [_tally(k, found.counts.get(k, ZERO)) for k in windows.before]
    )
    since = _pooled("Since", [_tally(k, found.counts.get(k, ZERO)) for k in windows.since])
    pooled = [ctx.disclosure.row(before, before.name), ctx.disclosure.row(since, since.name)]
    test = None
    words = "Not enough months since acceptance to compare." if not windows.since else ""
    if windows.since and any(p.value_hidden for p in pooled):
        words = "Too few obligations to compare without revealing small numbers."
    elif windows.since:
        test = two_proportion_test(
            Proportion(before.met, before.denominator), Proportion(since.met, since.denominator)
        )
        words = (
            test.brief()
            if test
            else "No test: nothing was counted on one side, or every obligation on both "
            "sides ended the same way."
        )
    indicator = REGISTRY[indicator_id]
    return {
        "id": indicator_id,
        "title": indicator.title,
        "target": found.target,
        "accepted": accepted.isoformat(),
        "before": _span(windows.before),
        "since": _span(windows.since),
        "pooled": [
            {
                "period": p.name,
                "met": str(p.met),
                "counted": str(p.total),
                "value": p.value,
                "words": pooled_words(p.value, str(p.total)),
            }
            for p in pooled
        ],
        "test": (
            {"z": test.z, "p_value": test.p_value, "more_than_chance": test.more_than_chance}
            if test
            else None
        ),
        "statement": words,
    }


def _measure_table(
    ctx: Context, indicator_id: str, found: MeasureMonths, windows: Sequence[Windows]
) -> dict[str, Any] | None:
    """A linked measure's every month, once for the whole report: its share done on time and
    how many were counted. Small numbers are hidden so that none can be worked out from a
    month's total nor from any review's pooled "before" and "since" figures."""
    keys = sorted(found.counts)
    if not keys:
        return None
    position = {k: i for i, k in enumerate(keys)}
    lines = [_tally(k, found.counts[k]) for k in keys]
    sums = []
    for window in windows:
        for part in (window.before, window.since):
            inside = [position[k] for k in part if k in position]
            if inside:
                sums.append(Sum(_pooled("", [lines[i] for i in inside]), inside))
    rows = ctx.disclosure.table(lines, [(k, "") for k in keys], sums)
    return {
        "id": indicator_id,
        "title": REGISTRY[indicator_id].title,
        "target": found.target,
        "months": [
            {
                "month": date.fromisoformat(k).strftime("%b %Y"),
                "start": k,
                "year": int(k[:4]),
                "number": int(k[5:7]),
                "value": row.value,
                "counted": str(row.total),
                "shown": not row.value_hidden,
            }
            for k, row in zip(keys, rows, strict=True)
        ],
    }


def _pooled(name: str, lines: Sequence[Tally]) -> Tally:
    pooled = Tally(name)
    for line in lines:
        for status in COUNTED:
            setattr(pooled, status, getattr(pooled, status) + getattr(line, status))
    return pooled


@section("reviews", "Reviews and recommendations")
def reviews(ctx: Context) -> dict[str, Any] | None:
    """Per review and recommendation: owners, status and its rule, evidence examined,
    assurance decisions and the impact of each linked measure."""
    case_reviews, recommendations = _case_reviews(ctx)
    if not recommendations and not case_reviews:
        return None
    load_catalogue()
    decisions: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for update in ctx.updates:
        if update.kind in DECISIONS:
            decisions[update.action_id].append(
                {
                    "decision": update.get_kind_display(),
                    "who": _name(update.author),
                    "agency": update.author.agency.name if update.author.agency else "",
                    "on": _local_date(update.created_at),
                    "at": update.created_at,
                    "examined": update.evidence_examined or update.narrative,
                    "basis": (update.get_embedded_basis_display() if update.embedded_basis else ""),
                }
            )
    evidence = Counter(
        Evidence.objects.filter(
            partnership=ctx.partnership, update__created_at__lt=ctx.moment
        ).values_list("update__action__recommendation_id", flat=True)
    )
    by_review: dict[int, list[Recommendation]] = defaultdict(list)
    for rec in recommendations:
        by_review[rec.review_id].append(rec)
    reviews_by_id = {r.pk: r for r in case_reviews}

    # Every measure once, over every month any recommendation needs.
    wanted: dict[str, date] = {}
    for rec in recommendations:
        start = add_months(accepted_on(reviews_by_id[rec.review_id]).replace(day=1), -BEFORE_MONTHS)
        for measure in _measure_ids(rec, ctx.counted(rec.pk)):
            if measure in REGISTRY:
                wanted[measure] = min(wanted.get(measure, start), start)
    months: dict[str, MeasureMonths | None] = {}
    if ctx.snapshot is not None:
        for measure, first in sorted(wanted.items()):
            months[measure] = _measure_months(ctx, measure, first)

    quarter_start = timezone.make_aware(datetime.combine(ctx.quarter.start, datetime.min.time()))
    windows: dict[str, list[Windows]] = {}
    other_tables: dict[str, dict[str, Any]] = {}
    out = []
    for review in case_reviews:
        recs = []
        accepted = accepted_on(review)
        linked: dict[str, list[int]] = {}
        targets: dict[str, float] = {}  # the first linking recommendation's target
        in_quarter: list[dict[str, Any]] = []
        earlier = 0
        for rec in by_review.get(review.pk, []):
            counted = ctx.counted(rec.pk)
            rating = rag.rating(counted, ctx.as_at)
            for measure in _measure_ids(rec, counted):
                linked.setdefault(measure, []).append(rec.number)
                targets.setdefault(measure, rec.measure_target / 100)
            made = 0
            for action in counted:
                for decision in decisions.get(action.pk, []):
                    if decision["at"] >= quarter_start:
                        made += 1
                        in_quarter.append(
                            {k: v for k, v in decision.items() if k != "at"}
                            | {"recommendation": rec.number, "action": action.description[:120]}
                        )
                    else:
                        earlier += 1
            recs.append(
                {
                    "number": rec.number,
                    "text": rec.text,
                    "addressed_to": (["The partnership"] if rec.to_partnership else [])
                    + sorted(a.name for a in rec.agencies.all()),
                    "owner_agencies": sorted({a.agency.name for a in counted}),
                    "owners": _owners(counted),
                    "actions": len(counted),
                    "statuses": _status_words(counted),
                    "rag": rating.value,
                    "rag_words": rag.RULE[rating],
                    "evidence": evidence.get(rec.pk, 0),
                    "decisions_in_quarter": made,
                }
            )
        impact = []
        for measure, numbers in linked.items():
            if measure not in REGISTRY:
                shown = _other_impact(ctx, measure, accepted, targets[measure], other_tables)
                impact.append(shown | {"recommendations": numbers})
                continue
            found = months.get(measure)
            if found is None:
                shown = {
                    "id": measure,
                    "title": REGISTRY[measure].title,
                    "missing": _missing(ctx),
                }
            else:
                shown = _impact(ctx, measure, accepted, found)
            impact.append(shown | {"recommendations": numbers})
            if found is not None:
                windows.setdefault(measure, []).append(_windows(accepted, found))
        out.append(
            {
                "title": str(review),
                "type": review.get_review_type_display(),
                "accepted": accepted.isoformat(),
                "recommendations": recs,
                "impact": impact,
                "decisions": sorted(in_quarter, key=lambda d: (d["on"], d["recommendation"])),
                "earlier_decisions": earlier,
            }
        )
    tables = [
        table
        for measure in sorted(windows)
        if (found := months.get(measure)) is not None
        and (table := _measure_table(ctx, measure, found, windows[measure])) is not None
    ]
    tables += [other_tables[measure] for measure in sorted(other_tables)]
    return {"rag_rule": rag.RULE_TEXT, "reviews": out, "measures": tables}


def _owners(actions: Sequence[Action]) -> list[str]:
    """Each owner once, with the agencies of the actions they own: "Ann Lee (Police, ICB)"."""
    agencies: dict[str, set[str]] = defaultdict(set)
    for action in actions:
        if action.owner:
            agencies[_name(action.owner)].add(action.agency.name)
    return [f"{name} ({', '.join(sorted(agencies[name]))})" for name in sorted(agencies)]


def _measure_ids(rec: Recommendation, counted: Sequence[Action]) -> list[str]:
    """The recommendation's measures, then its actions'; only those of a kind the report can
    compare (indicators the catalogue knows, and kinds with an `impact`)."""
    wanted = list(rec.measures or []) + sorted({a.measure for a in counted if a.measure})
    return [
        m
        for m in dict.fromkeys(wanted)
        if m in REGISTRY or ((kind := kind_of(m)) is not None and kind.impact is not None)
    ]


def _other_impact(
    ctx: Context, measure: str, accepted: date, target: float, tables: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    """A measure other than an indicator compared by its kind (`reviews.measures.KINDS`), as
    at the report's date; its months (if it has them) join its table in `tables`, once for
    the report. A kind without a target of its own takes the recommendation's."""
    kind = kind_of(measure)
    assert kind is not None
    assert kind.impact is not None
    found = kind.impact(ctx.partnership.pk, measure, accepted, ctx.as_at)
    if found is None:
        return {
            "id": measure,
            "title": measure,
            "missing": "It no longer names anything of the partnership's.",
        }
    shown = dict(found)
    if shown["target"] is None:
        shown["target"] = target
    months = shown.pop("months", None)
    about = shown.pop("about", "")
    if months:
        table = tables.setdefault(
            measure,
            {"id": measure, "title": shown["title"], "target": shown["target"], "about": about},
        )
        merged = {m["start"]: m for m in table.get("months", [])} | {m["start"]: m for m in months}
        table["months"] = [merged[k] for k in sorted(merged)]
    return shown | {"accepted": accepted.isoformat()}


def _missing(ctx: Context) -> str:
    if ctx.snapshot is None:
        return "No case data had been imported by the end of the quarter."
    return (
        "The case data current at the end of the quarter (extract of "
        f"{ctx.snapshot.extract_date.isoformat()}) has since been replaced, and its figures "
        "were not kept by an earlier report."
    )


@section("catalogue", "Trackers: this quarter, the previous one and a year earlier")
def catalogue(ctx: Context) -> dict[str, Any] | None:
    """Each tracker's share done on time for the three quarters (as much as the data covers)."""
    if ctx.snapshot is None or ctx.data_end is None:
        return None
    load_catalogue()
    quarters = [ctx.quarter, ctx.quarter.previous, ctx.quarter.year_earlier]
    columns = []
    by_id: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for quarter in quarters:
        end = min(quarter.end, ctx.data_end)
        figures = None
        if quarter.start <= end:

            def make(
                start: date = quarter.start, end: date = end, snapshot: Any = ctx.snapshot
            ) -> list[dict[str, Any]]:
                return [
                    {"id": f.indicator.id, "counts": [getattr(f, s) for s in COUNTED]}
                    | {"has_data": f.has_data}
                    for f in catalogue_figures(snapshot, start, end)
                ]

            figures = ctx.kept(f"catalogue:{quarter.start.isoformat()}:{end.isoformat()}", make)
        columns.append(
            {
                "quarter": str(quarter),
                "label": quarter.label,
                "to": end.isoformat(),
                "kept": figures is not None,
            }
        )
        for row in figures or []:
            if row["id"] not in REGISTRY:
                continue
            shown = ctx.disclosure.row(_tally(row["id"], row["counts"]))
            by_id[row["id"]].append(
                {
                    "quarter": str(quarter),
                    "has_data": row["has_data"],
                    "value": shown.value,
                    "counted": str(shown.total),
                    "shown": not shown.value_hidden,
                }
            )
    rows = []
    for indicator_id, indicator in REGISTRY.items():
        cells = {c["quarter"]: c for c in by_id.get(indicator_id, [])}
        rows.append(
            {
                "id": indicator_id,
                "title": indicator.title,
                "target": with_target(indicator).target,
                "cells": [cells.get(str(q)) for q in quarters],
            }
        )
    return {"columns": columns, "rows": rows, "missing": "" if by_id else _missing(ctx)}


@section("audits", "Case audits in the quarter")
def audits(ctx: Context) -> dict[str, Any] | None:
    """Finished case audits by tool and month of the quarter: grades and the share good or
    better (small numbers hidden as on the QA dashboard)."""
    found = Audit.objects.filter(
        partnership=ctx.partnership,
        programme__month__gte=ctx.quarter.start,
        programme__month__lte=ctx.quarter.end,
        finished_at__lt=ctx.moment,
    )
    cells = grade_counts(found)
    if not cells:
        return None
    threshold = settings.SMALL_COUNT_THRESHOLD
    tools: dict[str, dict[str, Any]] = {}
    for (slug, name, month), counts in sorted(cells.items()):
        line = disclose(month, counts, exact=False, threshold=threshold)
        tool = tools.setdefault(slug, {"tool": name, "months": []})
        tool["months"].append(
            {
                "month": month,
                "grades": dict(zip([str(g) for g in GRADE_ORDER], line.counts, strict=True)),
                "finished": line.finished,
                "share_good": line.share,
            }
        )
    return {
        "grades": [str(g) for g in GRADE_ORDER],
        "good_or_better": list(GOOD_OR_BETTER),
        "tools": [tools[slug] for slug in sorted(tools)],
    }


# ---- the whole report ----------------------------------------------------------------------


@dataclass
class ReportData:
    partnership: str
    period: str
    label: str
    as_at: str
    snapshot: str
    timescales: str
    sections: list[dict[str, Any]]
    snapshot_id: int | None

    def canonical(self) -> dict[str, Any]:
        """What the digest is of: everything the report says except when and by what it was made."""
        return canonical(
            {
                "partnership": self.partnership,
                "period": self.period,
                "as_at": self.as_at,
                "snapshot": self.snapshot,
                "timescales": self.timescales,
                "sections": self.sections,
            }
        )

    @property
    def digest(self) -> str:
        return digest(self.canonical())


def canonical(value: Any) -> Any:
    """Plain JSON values: dates ISO, fractions and decimals as strings of fixed precision."""
    if isinstance(value, dict):
        return {str(k): canonical(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [canonical(v) for v in value]
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return value
    if isinstance(value, float):
        return f"{value:.6f}"
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(f"A report section gave {type(value).__name__}, which has no canonical form")


def digest(data: Any) -> str:
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def snapshot_words(snapshot: ImportSnapshot | None) -> str:
    if snapshot is None:
        return "No case data imported by then"
    return f"Extract of {snapshot.extract_date.isoformat()}, checksum {snapshot.checksum}"


def timescale_words(on: date) -> str:
    """The configuration in force on the date: where it comes from and a fingerprint of it."""
    source = str(getattr(settings, "ASSURE_TIMESCALES_FILE", "") or "")
    in_force = [
        [t.key, t.amount, t.unit, t.applies_from.isoformat()]
        for t in (
            timescales.timescale(k, on)
            for k in sorted({t.key for t in timescales.all_timescales()})
        )
    ]
    print_ = digest(in_force)[:16]
    where = f"file {source}" if source else "Assure's built-in statutory and local defaults"
    return f"Timescales in force on {on.isoformat()} ({where}), fingerprint {print_}"


def build(partnership: Partnership, quarter: Quarter, today: date) -> ReportData:
    """The report's data for the quarter; as at today for the quarter under way."""
    as_at = min(quarter.end, today)
    ctx = Context(
        partnership=partnership,
        quarter=quarter,
        as_at=as_at,
        snapshot=None,
        disclosure=Disclosure(exact=False, threshold=settings.SMALL_COUNT_THRESHOLD),
    )
    ctx.snapshot = snapshot_at(partnership.pk, ctx.moment)
    sections = []
    for registered in SECTIONS:
        content = registered.make(ctx)
        if content is None:
            continue
        sections.append({"key": registered.key, "title": registered.title, "content": content})
    return ReportData(
        partnership=partnership.name,
        period=str(quarter),
        label=quarter.label,
        as_at=as_at.isoformat(),
        snapshot=snapshot_words(ctx.snapshot),
        timescales=timescale_words(as_at),
        sections=sections,
        snapshot_id=ctx.snapshot.pk if ctx.snapshot else None,
    )
