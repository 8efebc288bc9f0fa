"""Reads behind the tracker pages: windows, trends, breakdowns, child-level rows and team scope.

Everything here starts from the engine's `compute` and only regroups its obligations, so a
page, the command line and the JSON agree. A page computes an indicator once: the window's
figures and the monthly trend are both cut from one computation judged as at the window's end
(statuses do not depend on `from`, only on `to`), and a month's late items done after that
month ended are shown as overdue, as `compute` for that month alone would show them.
"""

import dataclasses
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, overload

import polars as pl
from django.utils import timezone

from assure.casedata.models import ImportSnapshot
from assure.core.calendar import add_months, end_of_month
from assure.core.timescales import Timescale, timescale
from assure.core.viewer import Viewer
from assure.indicators.disclosure import MET, TOTAL, Disclosure, Row, Sum
from assure.indicators.engine import (
    LISTING,
    REGISTRY,
    Indicator,
    Result,
    compute,
    load_catalogue,
    reported,
    shared_rows,
    with_target,
)
from assure.indicators.obligations import allocate

COUNTED = ("met", "late", "overdue", "breach")
STATUS_LABELS = {
    "met": "Met",
    "late": "Late",
    "overdue": "Overdue",
    "breach": "Breach",
    "upcoming": "Upcoming",
    "void": "Void",
}
NOT_KNOWN = "Not known"
TREND_MONTHS = 12

# The weekly tracker: meetings, visits, assessments and write-ups a team can still act on.
WEEKLY_INDICATORS = (
    "core_group_first_10wd",
    "core_group_interval",
    "core_group_recorded_5wd",
    "rcpc_timeliness",
    "cp_visit_10wd",
    "viability_10wd",
    "viability_qa_5wd",
    "legal_decision_recorded_10wd",
    "plo_letter_filed_10wd",
)
WEEKLY_AHEAD_DAYS = 7


# ---- windows ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportWindow:
    """The reporting window [start, end], judged as at `end`; `extract_date` of the data."""

    start: date
    end: date
    extract_date: date | None


def current_snapshot(partnership_id: int) -> ImportSnapshot | None:
    return ImportSnapshot.current(partnership_id)


def default_end(snapshot: ImportSnapshot | None) -> date:
    """The current extract's date, or today when nothing has been imported."""
    return snapshot.extract_date if snapshot else timezone.localdate()


def twelve_months_to(end: date) -> date:
    """The first day of the 12 months up to and including `end`."""
    return add_months(end, -12) + timedelta(days=1)


def window_for(
    snapshot: ImportSnapshot | None, start: date | None = None, end: date | None = None
) -> ReportWindow:
    """The window asked for; a missing end is the extract date, a missing start 12 months back."""
    end = end or default_end(snapshot)
    start = start or twelve_months_to(end)
    return ReportWindow(start, end, snapshot.extract_date if snapshot else None)


# ---- team scope ------------------------------------------------------------------------------


def natural(name: str) -> tuple[tuple[int, int | str], ...]:
    """A sort key putting "Team 2" before "Team 11" (numbers by value, text case-folded)."""
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part.casefold())
        for part in re.split(r"(\d+)", name)
        if part
    )


def in_scope(team: str, scope: frozenset[str] | None) -> bool:
    return scope is None or team.strip().casefold() in scope


def _scoped(frame: pl.DataFrame, scope: frozenset[str] | None) -> pl.DataFrame:
    """The rows whose `team` (null: nobody allocated) is in the viewer's scope."""
    if scope is None:
        return frame
    teams = frame["team"].fill_null("").unique().to_list()
    return frame.filter(
        pl.col("team").fill_null("").is_in([t for t in teams if in_scope(t, scope)])
    )


# ---- counting --------------------------------------------------------------------------------


@dataclass
class Tally:
    """Counts for one group of obligations (a month, a team or a worker)."""

    name: str
    team: str = ""
    met: int = 0
    late: int = 0
    overdue: int = 0
    breach: int = 0

    def add(self, status: str) -> None:
        if status in COUNTED:
            setattr(self, status, getattr(self, status) + 1)

    @property
    def denominator(self) -> int:
        return self.met + self.late + self.overdue + self.breach

    @property
    def value(self) -> float | None:
        return self.met / self.denominator if self.denominator else None


def _counts(listing: pl.DataFrame) -> dict[str, int]:
    counts = dict.fromkeys(STATUS_LABELS, 0)
    counts.update(dict(listing["status"].value_counts().iter_rows()))
    return counts


def _tally(name: str, listing: pl.DataFrame, team: str = "") -> Tally:
    counts = _counts(listing)
    return Tally(name, team, *(counts[s] for s in COUNTED))


def restrict(result: Result, start: date, end: date) -> Result:
    """A result judged as at `end` cut down to obligations due in [start, end] (plus checks and
    upcoming items), as `compute` over [start, end] gives when the computation ended at `end`."""
    kept = result.listing().filter(reported(start, end))
    counts = _counts(kept)
    denominator = sum(counts[s] for s in COUNTED)
    return Result(
        result.indicator,
        **counts,
        value=counts["met"] / denominator if denominator and result.has_data else None,
        has_data=result.has_data,
        obligations=kept,
    )


# ---- indicator page --------------------------------------------------------------------------


@dataclass(frozen=True)
class Month:
    label: str
    start: date
    end: date


@dataclass
class IndicatorPage:
    """An indicator's page as one viewer may see it (`Disclosure`): no hidden count is here."""

    indicator: Indicator
    window: ReportWindow
    has_data: bool
    summary: Row  # the partnership's figures for the window
    timescale: Timescale | None
    trend: list[Row]
    teams: list[Row]
    workers: list[Row]  # empty unless the viewer may see figures by worker
    children: int  # distinct children behind the figure (in the viewer's team scope)


def trend_months(end: date, count: int = TREND_MONTHS) -> list[Month]:
    """The `count` calendar months ending with end's month; the last one stops at `end`."""
    months = []
    for back in range(count - 1, -1, -1):
        first = add_months(end.replace(day=1), -back)
        last = min(end_of_month(first.year, first.month), end)
        months.append(Month(first.strftime("%b %Y"), first, last))
    return months


def _bucket(listing: pl.DataFrame, months: Sequence[Month]) -> list[Tally]:
    """Counted obligations by the month they fell due in, each judged as at its month's end."""
    due, status = pl.col("due"), pl.col("status")
    counted = listing.filter(due.is_not_null() & status.is_in(COUNTED))
    tallies = []
    for month in months:
        rows = counted.filter(due.is_between(month.start, month.end)).select(
            # as at the end of its month, an item done later was not yet done
            status=pl.when((status == "late") & (pl.col("done") > month.end))
            .then(pl.lit("overdue"))
            .otherwise(status)
        )
        tallies.append(_tally(month.label, rows))
    return tallies


def trend(
    indicator_id: str, partnership_id: int, months: Sequence[Month], overall: Result
) -> list[Tally]:
    """One tally per month of obligations due in it, each judged as at the month's end.

    `overall` is computed over the months (or longer) as at the last month's end; dated
    obligations are bucketed from it. Checks without a due date are judged at a date, so an
    indicator that has them is computed month by month.
    """
    if not overall.has_data:
        return [Tally(m.label) for m in months]
    if overall.listing()["due"].null_count() == 0:
        return _bucket(overall.listing(), months)
    tallies = []
    for month in months:
        result = compute(indicator_id, partnership_id, month.start, month.end)
        tally = Tally(month.label)
        for status in COUNTED:
            setattr(tally, status, getattr(result, status))
        tallies.append(tally)
    return tallies


def allocated(
    partnership_id: int, listing: pl.DataFrame, end: date, indicator: Indicator | None = None
) -> pl.DataFrame:
    """The obligations with the `team` and `worker` the child was allocated to on the due date
    (checks without one: at the window's end), NOT_KNOWN when nobody was. A worker indicator's
    obligations have the professional's own team and name (`Indicator.assign`)."""
    on = listing.with_columns(on=pl.col("due").fill_null(end))
    if indicator is not None and indicator.assign is not None:
        found = indicator.assign(partnership_id, on)
    else:
        found = allocate(partnership_id, on, on="on")
    return found.with_columns(
        pl.when(pl.col(name).is_null() | (pl.col(name) == ""))
        .then(pl.lit(NOT_KNOWN))
        .otherwise(pl.col(name))
        .alias(name)
        for name in ("team", "worker")
    )


def breakdowns(counted: pl.DataFrame) -> tuple[list[Tally], list[Tally]]:
    """Counted obligations (with `team` and `worker`) by team, and by worker within team."""
    teams = [
        _tally(team, rows)
        for (team,), rows in counted.partition_by("team", as_dict=True, maintain_order=True).items()
    ]
    workers = [
        _tally(worker, rows, team=team)
        for (team, worker), rows in counted.partition_by(
            "team", "worker", as_dict=True, maintain_order=True
        ).items()
    ]
    return (
        sorted(teams, key=lambda t: (t.name == NOT_KNOWN, natural(t.name))),
        sorted(
            workers,
            key=lambda t: (
                t.team == NOT_KNOWN,
                natural(t.team),
                t.name == NOT_KNOWN,
                natural(t.name),
            ),
        ),
    )


def indicator_timescale(indicator: Indicator, on: date) -> Timescale | None:
    if not indicator.timescale_key:
        return None
    try:
        return timescale(indicator.timescale_key, on)
    except KeyError:
        return None


@dataclass
class PageFigures:
    """An indicator page's figures before any viewer's disclosure (`IndicatorFigures` stores
    them): the window's counts, the monthly trend, the counts by team and by worker, and the
    distinct children behind the figure by the team they were allocated to."""

    has_data: bool
    summary: Tally
    trend: list[Tally]
    teams: list[Tally]
    workers: list[Tally]
    children: dict[str, list[str]]

    def to_json(self) -> dict[str, Any]:
        return {
            "has_data": self.has_data,
            "summary": dataclasses.asdict(self.summary),
            "trend": [dataclasses.asdict(t) for t in self.trend],
            "teams": [dataclasses.asdict(t) for t in self.teams],
            "workers": [dataclasses.asdict(t) for t in self.workers],
            "children": self.children,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "PageFigures":
        return cls(
            has_data=data["has_data"],
            summary=Tally(**data["summary"]),
            trend=[Tally(**t) for t in data["trend"]],
            teams=[Tally(**t) for t in data["teams"]],
            workers=[Tally(**t) for t in data["workers"]],
            children=data["children"],
        )

    def children_in(self, scope: frozenset[str] | None) -> int:
        """Distinct children behind the figure in the teams of `scope` (None: every team)."""
        return len(
            {
                person
                for team, people in self.children.items()
                if in_scope(team, scope)
                for person in people
            }
        )


def page_figures(indicator: Indicator, partnership_id: int, window: ReportWindow) -> PageFigures:
    """Compute the window's figures, the 12-month trend to the window's end and the breakdowns."""
    months = trend_months(window.end)
    with shared_rows():  # the trend may compute month by month: read the tables once
        first = min(window.start, months[0].start)
        overall = compute(indicator.id, partnership_id, first, window.end)
        result = restrict(overall, window.start, window.end)
        counted = allocated(
            partnership_id,
            result.listing().filter(pl.col("status").is_in(COUNTED)),
            window.end,
            indicator,
        )
        teams, workers = breakdowns(counted)
        monthly = trend(indicator.id, partnership_id, months, overall)
    children = (
        counted.select("team", "person_id")
        .unique()
        .sort("team", "person_id")
        .group_by("team", maintain_order=True)
        .agg("person_id")
    )
    return PageFigures(
        has_data=result.has_data,
        summary=Tally("", "", *(getattr(result, s) for s in COUNTED)),
        trend=monthly,
        teams=teams,
        workers=workers,
        children=dict(children.iter_rows()),
    )


def indicator_page(
    indicator: Indicator,
    window: ReportWindow,
    figures: PageFigures,
    scope: frozenset[str] | None,
    disclosure: Disclosure,
) -> IndicatorPage:
    """An indicator's page from its `figures`, as `disclosure` lets the viewer see them."""
    months = trend_months(window.end)
    # Teams add up to the window's figures; so do the months inside the window, in met and
    # in the total (a month's late items done after it ended count there as overdue).
    inside = [i for i, month in enumerate(months) if month.start >= window.start]
    summary, monthly, teams = figures.summary, figures.trend, figures.teams
    return IndicatorPage(
        indicator=with_target(indicator),
        window=window,
        has_data=figures.has_data,
        summary=disclosure.row(summary),
        timescale=indicator_timescale(indicator, window.end),
        trend=disclosure.table(monthly, _names(monthly), [Sum(summary, inside, (MET, TOTAL))]),
        teams=disclosure.table(teams, _names(teams), [Sum(summary, range(len(teams)))]),
        workers=disclosure.workers(figures.workers, _names(figures.workers)),
        children=figures.children_in(scope),
    )


def _names(tallies: Sequence[Tally]) -> list[tuple[str, str]]:
    return [(t.name, t.team) for t in tallies]


# ---- child-level rows ------------------------------------------------------------------------


@dataclass(frozen=True)
class ChildRow:
    """One obligation of one child, with who the child was allocated to on its due date."""

    person_id: str
    ref: str
    due: date | None
    done: date | None
    status: str
    team: str
    worker: str
    indicator: Indicator | None = None


class ChildRows(Sequence[ChildRow]):
    """Child-level rows kept as a frame, made into `ChildRow`s a page at a time."""

    def __init__(self, frame: pl.DataFrame, indicators: Sequence[Indicator | None] = ()) -> None:
        self.frame = frame
        self.indicators = indicators

    def __len__(self) -> int:
        return self.frame.height

    @overload
    def __getitem__(self, index: int) -> ChildRow: ...
    @overload
    def __getitem__(self, index: slice) -> list[ChildRow]: ...
    def __getitem__(self, index: int | slice) -> ChildRow | list[ChildRow]:
        if isinstance(index, int):
            return self[index : index + 1 or None][0]
        start, stop, step = index.indices(len(self))
        rows = self.frame.slice(start, max(stop - start, 0)).gather_every(step)
        names = ["person_id", "ref", "due", "done", "status", "team", "worker"]
        found = []
        for row in rows.select(*names, pl.col("indicator").fill_null(-1)).iter_rows():
            person_id, ref, due, done, status, team, worker, which = row
            indicator = self.indicators[which] if which >= 0 else None
            found.append(ChildRow(person_id, ref, due, done, status, team, worker, indicator))
        return found

    def __iter__(self) -> Iterator[ChildRow]:
        return iter(self[:])


def child_rows(
    indicator: Indicator,
    partnership_id: int,
    window: ReportWindow,
    scope: frozenset[str] | None,
    status: str = "",
) -> tuple[Result, ChildRows]:
    """The obligations behind an indicator's figure (the counted ones unless a status is asked
    for), in the viewer's team scope, by due date."""
    result = compute(indicator.id, partnership_id, window.start, window.end)
    wanted = [status] if status else list(COUNTED)
    chosen = result.listing().filter(pl.col("status").is_in(wanted))
    rows = _scoped(allocated(partnership_id, chosen, window.end, indicator), scope)
    return result, ChildRows(rows.with_columns(indicator=pl.lit(None, dtype=pl.Int64)))


# ---- weekly tracker --------------------------------------------------------------------------


@dataclass
class WeeklyTeam:
    name: str
    due_soon: list[ChildRow] = field(default_factory=list)
    overdue: list[ChildRow] = field(default_factory=list)


@dataclass
class Weekly:
    as_of: date
    since: date
    until: date
    teams: list[WeeklyTeam]
    missing: list[str]  # weekly indicators without data in the current extract

    @property
    def first_due(self) -> date:
        return self.as_of + timedelta(days=1)

    @property
    def due_soon(self) -> int:
        return sum(len(t.due_soon) for t in self.teams)

    @property
    def overdue(self) -> int:
        return sum(len(t.overdue) for t in self.teams)


def children_seen_by(
    viewer: Viewer, indicator: Indicator, window: ReportWindow, status: str = ""
) -> tuple[Result, ChildRows]:
    """`child_rows` of the viewer's partnership and team scope: what a child-level page shows."""
    return child_rows(indicator, viewer.partnership_id, window, viewer.team_scope, status)


def weekly_seen_by(viewer: Viewer, as_of: date, rows: "WeeklyRows") -> Weekly:
    """`weekly` of the viewer's partnership and team scope, from the stored rows."""
    return weekly(viewer.partnership_id, as_of, viewer.team_scope, rows)


@dataclass
class WeeklyRows:
    """Every team's weekly tracker rows before the viewer's team scope (`WeeklyFigures`
    stores them): a frame of `LISTING` columns with `team`, `worker` and `indicator` (an index
    into `indicators`), and the titles of the weekly indicators without data."""

    frame: pl.DataFrame
    indicators: list[Indicator]
    missing: list[str]


def weekly_rows(partnership_id: int, as_of: date) -> WeeklyRows:
    """Obligations due in the 7 days after `as_of`, and those overdue as at `as_of` (due in the
    12 months up to it), with the team the child is allocated to on the due date. An overdue
    item whose reason has since gone (the plan ended, the child died) is left out: it can no
    longer be done (an upcoming one would be void already)."""
    since = twelve_months_to(as_of)
    until = as_of + timedelta(days=WEEKLY_AHEAD_DAYS)
    load_catalogue()
    indicators: list[Indicator] = []
    picked = []
    missing = []
    due, status = pl.col("due"), pl.col("status")
    with shared_rows():
        for indicator_id in WEEKLY_INDICATORS:
            if indicator_id not in REGISTRY:
                continue
            result = compute(indicator_id, partnership_id, since, as_of)
            if not result.has_data:
                missing.append(result.indicator.title)
                continue
            rows = result.listing(
                due.is_not_null()
                & (
                    (status == "overdue")
                    | ((status == "upcoming") & (due > as_of) & (due <= until))
                )
            ).filter(pl.col("ended").is_null())  # its plan has ended or its child died
            picked.append(rows.with_columns(indicator=pl.lit(len(indicators), dtype=pl.Int64)))
            indicators.append(result.indicator)
        every = (
            allocated(partnership_id, pl.concat(picked), as_of).sort(
                "due", "person_id", maintain_order=True
            )
            if picked
            else None
        )
    return WeeklyRows(every if every is not None else _NO_WEEKLY_ROWS, indicators, missing)


_NO_WEEKLY_ROWS = pl.DataFrame(
    schema={**LISTING, "team": pl.String, "worker": pl.String, "indicator": pl.Int64}
)


def weekly(
    partnership_id: int,
    as_of: date,
    scope: frozenset[str] | None,
    rows: WeeklyRows | None = None,
) -> Weekly:
    """The weekly tracker as at `as_of` for the teams in the viewer's scope, from `rows` (the
    stored ones, `figures.weekly_rows`) or computed now."""
    if rows is None:
        rows = weekly_rows(partnership_id, as_of)
    since = twelve_months_to(as_of)
    until = as_of + timedelta(days=WEEKLY_AHEAD_DAYS)
    status = pl.col("status")
    teams: list[WeeklyTeam] = []
    every = _scoped(rows.frame, scope)
    for (team,), found in every.partition_by("team", as_dict=True).items():
        group = WeeklyTeam(team)
        group.overdue = list(ChildRows(found.filter(status == "overdue"), rows.indicators))
        group.due_soon = list(ChildRows(found.filter(status != "overdue"), rows.indicators))
        teams.append(group)
    ordered = sorted(teams, key=lambda t: (t.name == NOT_KNOWN, natural(t.name)))
    return Weekly(as_of, since, until, ordered, rows.missing)
