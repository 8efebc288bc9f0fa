"""How every timeliness indicator counts (docs/domain.md section 3), shared by the catalogue.

The obligations are worked out for whole columns at once (polars):

- `table` gives a case data table of the current snapshot as stored columns (`columnar`).
- `due_column` computes due dates for many start dates at once, each with the timescale version
  in force on its own start date.
- `judged` gives each obligation's status from its due date, the date it was done and the date
  its reason disappeared, as at `to`: anything dated after `to` is ignored, as if not happened.
- `links` walks a recurring obligation (core groups, review conferences, visits): each link is
  due from the previous event and the chain stops at the first link not done by `to`.
- `dated_obligations` reads the obligations due a timescale after a start date of one table.
- Tables, `plans_frame`, `deaths_frame`, `reviews_frame`, `core_groups_frame` and `person_ids`
  are made once per `shared_rows()` block (one `compute_all`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, timedelta
from functools import partial
from typing import cast

import polars as pl
from django.db.models import Model

from assure.casedata import columnar
from assure.casedata.models import (
    CaseFlag,
    CaseOversight,
    ConferenceChair,
    CoreGroup,
    CPPlan,
    CPVisit,
    InitialConference,
    Involvement,
    LegalPlanning,
    MidwayReview,
    Person,
    PlanAction,
    PreProceedings,
    Professional,
    ReviewConference,
    S47Enquiry,
    StrategyDiscussion,
    Supervision,
    Team,
    ViabilityAssessment,
)
from assure.core import calendar
from assure.core.timescales import Timescale, all_timescales, versions
from assure.indicators.engine import Columns, Window, cached, current_snapshot, shared_rows

__all__ = [
    "CASE_TABLES",
    "Columns",
    "allocate",
    "cached",
    "core_groups_frame",
    "dated_obligations",
    "deaths_frame",
    "due_column",
    "earliest_start",
    "iso",
    "judged",
    "links",
    "offline",
    "person_ids",
    "plans_frame",
    "prefetch",
    "reviews_frame",
    "shared_rows",
    "table",
]

_PREFETCHED: ContextVar[bool] = ContextVar("assure_indicator_prefetched", default=False)

# Every case data table an indicator reads (`prefetch` fetches them all).
CASE_TABLES: tuple[type[Model], ...] = (
    Person,
    S47Enquiry,
    StrategyDiscussion,
    InitialConference,
    CPPlan,
    ReviewConference,
    ConferenceChair,
    CoreGroup,
    MidwayReview,
    CPVisit,
    PlanAction,
    LegalPlanning,
    PreProceedings,
    ViabilityAssessment,
    CaseFlag,
    Involvement,
    Professional,
    Supervision,
    CaseOversight,
)


# ---- reading rows ---------------------------------------------------------------------------


def table(window: Window, model: type[Model], *columns: str) -> pl.DataFrame:
    """These columns of the model's rows in the partnership's current snapshot (`columnar`:
    named after the model's fields, `id` and `person_id` for keys). The stored rows are fetched
    once per `shared_rows` block; only the columns named are decompressed."""
    data = _stored(window, model)
    if data is None:
        empty = pl.DataFrame(schema=columnar.schema(model))
        return empty.select(columns) if columns else empty
    return columnar.read(data, columns)


def _stored(window: Window, model: type[Model]) -> bytes | None:
    partnership = window.partnership_id

    def load() -> bytes | None:
        if _PREFETCHED.get():
            raise RuntimeError(f"{model.__name__} is read by an indicator but not in CASE_TABLES")
        snapshot = current_snapshot(partnership)
        return None if snapshot is None else columnar.stored(snapshot, model)

    return cached(_table_key(partnership, model), load)


def _table_key(partnership_id: int, model: type[Model]) -> tuple[str, int, str]:
    return ("table", partnership_id, model._meta.label_lower)


def prefetch(window: Window) -> None:
    """Fetch every table in CASE_TABLES (in one query once their columns are built) and make
    the frames most indicators share, so that the indicators then need no database
    (`compute_all` runs them on several threads, which have connections of their own). Call
    `offline` in those threads."""
    partnership = window.partnership_id
    snapshot = current_snapshot(partnership)
    found = {} if snapshot is None else columnar.stored_many(snapshot, CASE_TABLES)
    for model in CASE_TABLES:
        cached(_table_key(partnership, model), partial(found.get, model))
    plans_frame(window)


@contextmanager
def offline() -> Iterator[None]:
    """Inside this block, reading a table `prefetch` did not fetch is an error."""
    token = _PREFETCHED.set(True)
    try:
        yield
    finally:
        _PREFETCHED.reset(token)


# ---- due dates ------------------------------------------------------------------------------


def earliest_start(key: str, first_due: date) -> date:
    """A date before which any start gives a due date before first_due (for narrowing queries).

    Generous on purpose: it only limits which rows are read, never how they are judged.
    """
    span = 0
    for version in all_timescales():
        if version.key != key:
            continue
        n = version.amount
        span = max(
            span,
            {
                "working_days": 2 * n + 14,
                "months": 31 * n + 1,
                "weeks": 7 * n,
                "days": n,
            }[version.unit],
        )
    return first_due - timedelta(days=span + 1)


# ---- rows several indicators read ----------------------------------------------------------


def person_ids(window: Window) -> pl.DataFrame:
    """Every person's pk (`person_pk`) and the case system's id (`person_id`)."""
    return table(window, Person, "id", "ssd_id").rename({"id": "person_pk", "ssd_id": "person_id"})


# ---- whole columns at once (polars) ---------------------------------------------------------


def due_column(key: str, dates: pl.Series) -> pl.Series:
    """The due date for each date of the column, each with the `key` timescale version in
    force on that date (the earliest version for dates before any applies)."""
    present = dates.drop_nulls()
    if present.is_empty():
        return pl.Series(dates.name, [None] * dates.len(), dtype=pl.Date)
    low, high = cast("date", present.min()), cast("date", present.max())
    if (high - low).days >= max(4 * dates.len(), 1000):  # scattered: each distinct date
        starts = present.unique()
        return dates.replace_strict(starts, _due(key, starts), default=None, return_dtype=pl.Date)
    # Every day from the first date to the last, then each date's by its place in that range.
    days = pl.date_range(low, high, eager=True)
    place = (dates - low).dt.total_days()
    return _due(key, days).gather(place).rename(dates.name)


def _due(key: str, starts: pl.Series) -> pl.Series:
    """The due date for each of the distinct dates `starts` (`due_column`)."""
    first, *later = versions(key)
    due = _after(starts, first)
    for version in later:
        due = _after(starts, version).zip_with(starts >= version.applies_from, due)
    return due


def _after(dates: pl.Series, version: Timescale) -> pl.Series:
    """Each date plus the version's amount in its unit (months clamp to the month's end)."""
    n = version.amount
    if version.unit == "working_days":
        return calendar.add_working_days_column(dates, n)
    unit = {"months": "mo", "weeks": "w"}.get(version.unit, "d")
    return dates.dt.offset_by(f"{n}{unit}")


def judged(to: date, due: str = "due", done: str = "done", ended: str | None = None) -> pl.Expr:
    """The status of each row as at `to`, from its `due` date, the date it was `done` and the
    date its reason disappeared (`ended`: plan ended, enquiry ended with no further action,
    child died).

    Dates after `to` count as not happened. An obligation whose reason disappeared on or before
    its due date, and that was not done while the reason lasted, is void.
    """
    due_, done_ = pl.col(due), pl.col(done)
    done_ = pl.when(done_ <= to).then(done_)
    status = (
        pl.when(done_.is_not_null() & (done_ <= due_))
        .then(pl.lit("met"))
        .when(done_.is_not_null())
        .then(pl.lit("late"))
        .when(due_ > to)
        .then(pl.lit("upcoming"))
        .otherwise(pl.lit("overdue"))
    )
    if ended is None:
        return status
    ended_ = pl.col(ended)
    ended_ = pl.when(ended_ <= to).then(ended_)
    void = ended_.is_not_null() & (ended_ <= due_) & (done_.is_null() | (done_ > ended_))
    return pl.when(void).then(pl.lit("void")).otherwise(status)


def links(events: pl.DataFrame, ended: str = "ended") -> pl.DataFrame:
    """The links of each plan's chain of events (`plan`, `date`), a recurring obligation.

    Each event (the same plan and date counted once) is the `previous` of a link numbered from
    1, done by the next event (`done`, null for the last). The chain goes on until the reason
    went (`ended`, on or before `to`): links from on or after it are dropped. (The one that
    falls due after it without being done in time is void; later ones would start after it.)
    """
    # Sorted by plan, each plan's events are one run of rows: a row's link number counts from
    # the first row of its run, and it is done by the next row when that is the same plan's.
    plan, date_ = pl.col("plan"), pl.col("date")
    row = pl.int_range(pl.len(), dtype=pl.Int64)
    first_row = pl.when(plan.ne_missing(plan.shift(1))).then(row).forward_fill()
    repeated = (plan == plan.shift(1)) & (date_ == date_.shift(1))
    return (
        _by_plan_and_date(events)
        .filter(~repeated.fill_null(False))
        .with_columns(
            done=pl.when(plan.shift(-1) == plan).then(pl.col("date").shift(-1)),
            number=row - first_row + 1,
        )
        .rename({"date": "previous"})
        .filter(pl.col(ended).is_null() | (pl.col("previous") < pl.col(ended)))
    )


def _by_plan_and_date(events: pl.DataFrame) -> pl.DataFrame:
    """The events sorted by plan, then date, as `sort("plan", "date")` would (`plan_day`)."""
    return events.sort(plan_day(events["plan"], pl.col("date")))


def plan_day(plans: pl.Series, day: pl.Expr) -> pl.Expr:
    """One Int64 that orders rows by the `plan` column, then by `day` (a date), nulls first in
    both, like a sort on the two columns but at a fifth of its cost: the plan in the high 32
    bits, the day number in the low 32 (`day_of`). `plans` is the plan column the keys are for:
    when its ids do not fit in 31 bits each plan is numbered by its place among them (the same
    order), so keys of two frames compare when made with the same `plans`.

    Within a frame sorted by it, `cum_max` of `plan_day(plans, other)` is the latest `other`
    date of the row's plan so far.
    """
    plan = pl.col("plan")
    low, high = (plans.min(), plans.max()) if plans.dtype.is_integer() else (-1, -1)
    if low is None or (low >= 0 and high < 2**31 - 1):  # type: ignore[operator]
        number = plan.cast(pl.Int64) + 1  # from 1: 0 is a null plan's
    else:
        ids = plans.drop_nulls().unique().sort()
        number = pl.lit(ids).search_sorted(plan).cast(pl.Int64) + 1
    day = (day.cast(pl.Int32).cast(pl.Int64) + 2**31).fill_null(0)  # from 1: 0 is a null day's
    return pl.when(plan.is_not_null()).then(number).otherwise(0) * 2**32 + day


def day_of(key: pl.Expr) -> pl.Expr:
    """The date in the low half of a `plan_day` key (null for a null day)."""
    day = key % 2**32
    return pl.when(day > 0).then((day - 2**31).cast(pl.Int32).cast(pl.Date))


def plans_frame(window: Window) -> pl.DataFrame:
    """Every plan started on or before `to`, by start date, its `end` (null while open at `to`),
    with `died` (the child's death on or before `to`) and `ended`: when the plan ended or the
    child died (on or before `to`), the date its obligations go void from."""
    to = window.end

    def load() -> pl.DataFrame:
        people = table(window, Person, "id", "ssd_id", "birth_month").select(
            person_pk="id", person_id="ssd_id", birth_month="birth_month"
        )
        end = pl.col("end_date")
        every = (
            table(window, CPPlan, "id", "ssd_id", "person_id", "start_date", "end_date")
            .filter(pl.col("start_date") <= to)
            .select(
                pk="id",
                ssd_id="ssd_id",
                person_pk="person_id",
                start="start_date",
                end=pl.when(end <= to).then(end),
            )
            .join(people, on="person_pk", how="left")
            .sort("start", "pk")
        )
        return every.join(deaths_frame(window), on="person_pk", how="left").with_columns(
            ended=pl.min_horizontal("end", "died")
        )

    return cached(("plans_frame", window.partnership_id, to), load)


def deaths_frame(window: Window) -> pl.DataFrame:
    """The children who died on or before `to` (`person_pk`) and when (`died`)."""

    def load() -> pl.DataFrame:
        return (
            table(window, Person, "id", "death_date")
            .filter(pl.col("death_date") <= window.end)
            .select(person_pk="id", died="death_date")
        )

    return cached(("deaths_frame", window.partnership_id, window.end), load)


def reviews_frame(window: Window) -> pl.DataFrame:
    """(plan, date) of review conferences held on or before `to` (the same date may repeat)."""

    def load() -> pl.DataFrame:
        return (
            table(window, ReviewConference, "plan_id", "date")
            .filter(pl.col("date") <= window.end)
            .select(plan="plan_id", date="date")
        )

    return cached(("reviews_frame", window.partnership_id, window.end), load)


def core_groups_frame(window: Window) -> pl.DataFrame:
    """Core group meetings on or before `to` (ssd_id, plan, person_pk, held, recorded), from the
    earliest date any of the three core group indicators needs for the window (made once for
    all three)."""
    keys = ("core_group_first_wd", "core_group_interval_days", "core_group_record_wd")
    first = min(earliest_start(key, window.start) for key in keys)

    def load() -> pl.DataFrame:
        return (
            table(window, CoreGroup, "ssd_id", "plan_id", "person_id", "date", "recorded_date")
            .filter(pl.col("date").is_between(first, window.end))
            .select(
                "ssd_id",
                plan="plan_id",
                person_pk="person_id",
                held="date",
                recorded="recorded_date",
            )
        )

    return cached(("core_groups_frame", window.partnership_id, window.start, window.end), load)


def dated_obligations(
    window: Window,
    model: type[Model],
    key: str,
    start_field: str,
    done_field: str,
    extra: Sequence[str] = (),
) -> pl.DataFrame:
    """One obligation for each of the model's rows started on or before `to`, due the `key`
    timescale after its start, among those due on or after the window's start.

    Columns: ssd_id, person_pk, start and done (the dates in `start_field` and `done_field`),
    the `extra` fields, and due. The status is for the indicator to add.
    """
    to = window.end
    rows = (
        table(window, model, "ssd_id", "person_id", start_field, done_field, *extra)
        .filter(pl.col(start_field).is_between(earliest_start(key, window.start), to))
        .select(
            "ssd_id",
            *extra,
            person_pk="person_id",
            start=start_field,
            done=done_field,
        )
    )
    return rows.with_columns(due=due_column(key, rows["start"])).filter(
        pl.col("due") >= window.start
    )


def iso(column: str) -> pl.Expr:
    """A date column as YYYY-MM-DD text (for refs)."""
    return pl.col(column).dt.to_string("%Y-%m-%d")


# ---- who the child was allocated to -----------------------------------------------------------


def allocate(partnership_id: int, frame: pl.DataFrame, on: str = "due") -> pl.DataFrame:
    """The frame with `team` and `worker`: who the child (`person_id`, the case system's id)
    was allocated to on the date in column `on` (both null when nobody was, or no date).

    When several involvements cover the date, the one that started last wins. The team is its
    name in `ssd_department` when the involvement's team is a team id there, else the text as
    given.
    """
    window = Window(partnership_id, date.min, date.max)  # tables are whole: no dates needed
    with shared_rows():
        people = table(window, Person, "id", "ssd_id")
        involvements = table(
            window,
            Involvement,
            "id",
            "person_id",
            "professional_id",
            "team",
            "start_date",
            "end_date",
        )
        teams = table(window, Team, "ssd_id", "name")
        workers = table(window, Professional, "id", "name")
    day, end = pl.col(on), pl.col("end_date")
    team_name = pl.col("team_name")
    found = (
        frame.select("person_id", on)
        .drop_nulls()
        .unique()
        .join(people.select(person_id="ssd_id", person_pk="id"), on="person_id")
        .join(involvements.rename({"person_id": "person_pk"}), on="person_pk")
        .filter(pl.col("start_date") <= day, end.is_null() | (day <= end))
        .sort("start_date", "id")
        .group_by("person_id", on, maintain_order=True)
        .last()
        .join(teams.select(team="ssd_id", team_name="name"), on="team", how="left")
        .join(workers.select(professional_id="id", worker="name"), on="professional_id", how="left")
        .select(
            "person_id",
            on,
            team=pl.when(team_name.is_not_null() & (team_name != ""))
            .then(team_name)
            .otherwise(pl.col("team")),
            worker=pl.col("worker").fill_null(""),  # an involvement names its worker
        )
    )
    return frame.join(found, on=["person_id", on], how="left", maintain_order="left")
