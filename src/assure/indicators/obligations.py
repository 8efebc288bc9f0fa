"""How every timeliness indicator counts (docs/domain.md section 3), shared by the catalogue.

- `judge` gives an obligation's status from its due date, the date it was done and the date its
  reason disappeared, as at `to`: anything dated after `to` is ignored, as if not happened.
- `chain` walks a recurring obligation (core groups, review conferences, visits): each link is
  due from the previous event and the chain stops at the first link not done by `to`.
- `due_map` computes due dates for many start dates at once, each with the timescale version in
  force on its own start date.
- `fetch` reads the rows of a `values_list` query with one SQL statement, turning date columns
  into dates through a memo of the (few thousand) distinct dates rather than row by row.
- `plans` and `deaths` are read once per `shared_rows()` block (one `compute_all`).
- `frame`, `due_column`, `judged` and `links` do the same for whole columns at once (polars), for
  the indicators with many obligations; they return `Columns`, listed only when asked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, timedelta
from operator import itemgetter
from typing import Any, NamedTuple, cast

import polars as pl
from django.db import connections
from django.db.models import CharField, F, IntegerField, Model, QuerySet
from django.db.models.functions import Cast

from assure.casedata.models import CoreGroup, CPPlan, Person, ReviewConference
from assure.core import calendar
from assure.core.timescales import all_timescales, timescale
from assure.indicators.engine import Columns, Obligation, Status, Window

__all__ = [
    "Columns",
    "CoreGroupRow",
    "PlanRow",
    "cached",
    "chain",
    "check",
    "core_groups",
    "core_groups_frame",
    "day",
    "deaths",
    "deaths_frame",
    "due_column",
    "due_map",
    "earliest_start",
    "fetch",
    "flag",
    "frame",
    "iso",
    "judge",
    "judged",
    "links",
    "obligation",
    "open_at",
    "person_ids",
    "plans",
    "plans_frame",
    "review_dates",
    "reviews_frame",
    "rows_of",
    "shared_rows",
    "void_from",
]

_SHARED: ContextVar[dict[tuple[Any, ...], Any] | None] = ContextVar(
    "assure_indicator_rows", default=None
)


@contextmanager
def shared_rows() -> Iterator[None]:
    """Inside this block, `cached` rows are read once and shared between indicators."""
    token = _SHARED.set({})
    try:
        yield
    finally:
        _SHARED.reset(token)


def cached[T](key: tuple[Any, ...], load: Callable[[], T]) -> T:
    """load(), remembered under key for the current `shared_rows` block (if any)."""
    store = _SHARED.get()
    if store is None:
        return load()
    if key not in store:
        store[key] = load()
    return store[key]


# ---- reading rows ---------------------------------------------------------------------------


class _Dates(dict[Any, date | None]):
    """A memo from database date values (text on SQLite, dates elsewhere) to dates."""

    def __missing__(self, key: Any) -> date | None:
        value = None if key is None else key if isinstance(key, date) else date.fromisoformat(key)
        self[key] = value
        return value


_FLAGS: dict[Any, bool | None] = {None: None, 0: False, 1: True}


def rows_of[M: Model](model: type[M], partnership_id: int) -> QuerySet[M]:
    """The model's rows for one partnership, to narrow further and read with `fetch`.

    The partnership is matched through an expression so that SQLite reads the table straight
    through instead of visiting a large share of it row by row through the (partnership, date)
    index, which is several times slower for the fraction of a table an indicator reads.
    """
    rows = model._default_manager.alias(_partnership=F("partnership_id") + 0)
    return cast("QuerySet[M]", rows.filter(_partnership=partnership_id))


def day(field: str) -> Cast:
    """A date column read as its ISO text: `fetch` turns each distinct value into a date once
    (skipping the database driver's per-value conversion)."""
    return Cast(field, output_field=CharField())


def fetch(
    queryset: QuerySet[Any, Any], dates: Sequence[int] = (), flags: Sequence[int] = ()
) -> list[tuple[Any, ...]]:
    """The rows of a `values_list` queryset, read raw with one query.

    Columns at the positions in `dates` become dates (or None) and those in `flags` become
    True, False or None. Reading raw avoids Django's per-value converters, which dominate the
    time on large tables; the memo converts each distinct date once.
    """
    compiler = queryset.query.get_compiler(using=queryset.db)
    sql, params = compiler.as_sql()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if not rows or not (dates or flags):
        return rows
    columns: list[Any] = list(zip(*rows, strict=True))
    memo = _Dates()
    for i in dates:
        columns[i] = map(memo.__getitem__, columns[i])
    for i in flags:
        columns[i] = map(_FLAGS.__getitem__, columns[i])
    return list(zip(*columns, strict=True))


# ---- due dates ------------------------------------------------------------------------------


def due_map(key: str, starts: Iterable[date | None]) -> dict[date, date]:
    """start -> due date for each distinct start, using the version in force on that start."""
    by_version: dict[Any, list[date]] = {}
    for start in set(starts):
        if start is not None:
            by_version.setdefault(timescale(key, start), []).append(start)
    due: dict[date, date] = {}
    for version, days in by_version.items():
        n = version.amount
        if version.unit == "working_days":
            due.update(calendar.due_after_working_days_map(days, n))
        elif version.unit == "months":
            due.update((d, calendar.add_months(d, n)) for d in days)
        elif version.unit == "weeks":
            due.update((d, calendar.add_weeks(d, n)) for d in days)
        else:
            due.update((d, d + timedelta(days=n)) for d in days)
    return due


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


# ---- status ---------------------------------------------------------------------------------


def judge(due: date, done: date | None, to: date, ended: date | None = None) -> Status:
    """The status of an obligation due on `due` and done on `done`, as at `to`.

    `ended` is when its reason disappeared (plan ended, enquiry ended with no further action,
    child died). Dates after `to` count as not happened. An obligation whose reason disappeared
    on or before its due date, and that was not done while the reason lasted, is void.
    """
    if done is not None and done > to:
        done = None
    if ended is not None and ended > to:
        ended = None
    if ended is not None and ended <= due and (done is None or done > ended):
        return "void"
    if done is not None:
        return "met" if done <= due else "late"
    return "upcoming" if due > to else "overdue"


def check(holds: bool) -> Status:
    """The status of a check without a due date, as at `to`: met when it holds, else breach."""
    return "met" if holds else "breach"


def void_from(to: date, *dates: date | None) -> date | None:
    """The earliest of the dates on or before `to` (when the obligation's reason went), or None."""
    known = [d for d in dates if d is not None and d <= to]
    return min(known) if known else None


class Link(NamedTuple):
    number: int  # 1 for the first link after the chain's start
    previous: date
    due: date
    done: date | None
    status: Status


def chain(
    start: date,
    events: Sequence[date],
    dues: Mapping[date, date],
    to: date,
    ended: date | None,
    first_due: date | None = None,
) -> Iterator[Link]:
    """The links of a recurring obligation from `start`: each next event is due dues[previous].

    `events` are the chain's event dates on or before `to`, sorted; the next event is the first
    strictly after the previous one. The chain stops at the first link not done by `to`, at a
    void link, and once the reason has gone (`ended`, on or before `to`) by the previous event.
    `first_due`, when given, is the first link's due date (a different timescale from the rest).
    """
    if ended is not None and ended > to:
        ended = None
    previous, i, number = start, 0, 1
    while ended is None or previous < ended:
        while i < len(events) and events[i] <= previous:
            i += 1
        done = events[i] if i < len(events) else None
        due = first_due if number == 1 and first_due is not None else dues[previous]
        status = judge(due, done, to, ended)
        yield Link(number, previous, due, done, status)
        if done is None or status == "void":
            return
        previous, number = done, number + 1


_new = object.__new__
_SET = tuple(
    getattr(Obligation, name).__set__ for name in ("person_id", "ref", "due", "done", "status")
)


def obligation(
    person_id: str, ref: str, due: date | None, done: date | None, status: Status, to: date
) -> Obligation:
    """An Obligation, hiding a done date after `to` (it had not happened yet).

    Built through its slots: the frozen dataclass's own __init__ costs several times more, which
    shows when an indicator lists hundreds of thousands of obligations.
    """
    made = _new(Obligation)
    set_person, set_ref, set_due, set_done, set_status = _SET
    set_person(made, person_id)
    set_ref(made, ref)
    set_due(made, due)
    set_done(made, done if done is not None and done <= to else None)
    set_status(made, status)
    return made


# ---- rows several indicators read ----------------------------------------------------------


class PlanRow(NamedTuple):
    pk: int
    ssd_id: str
    person_pk: int
    person_id: str
    start: date
    end: date | None  # None while open at `to` (an end after `to` has not happened yet)
    birth_month: date | None  # the child's, None while not born (or not known)


def person_ids(window: Window) -> dict[int, str]:
    """Person pk -> the case system's person id, for every person (read once)."""

    def load() -> dict[int, str]:
        return dict(fetch(rows_of(Person, window.partnership_id).values_list("pk", "ssd_id")))

    return cached(("people", window.partnership_id), load)


def plans(window: Window) -> list[PlanRow]:
    """Every plan started on or before `to`, by start date (read once per compute_all)."""

    def load() -> list[PlanRow]:
        rows = fetch(
            rows_of(CPPlan, window.partnership_id)
            .filter(start_date__lte=window.end)
            .values_list(
                "pk",
                "ssd_id",
                "person_id",
                "person__ssd_id",
                day("start_date"),
                day("end_date"),
                day("person__birth_month"),
            ),
            dates=(4, 5, 6),
        )
        rows.sort(key=itemgetter(4, 0))
        to = window.end
        return [
            PlanRow(pk, ssd, person, person_id, start, end if end and end <= to else None, born)
            for pk, ssd, person, person_id, start, end, born in rows
        ]

    return cached(("plans", window.partnership_id, window.end), load)


def deaths(window: Window) -> dict[int, date]:
    """Person pk -> date of death, for children who died on or before `to`."""

    def load() -> dict[int, date]:
        rows = fetch(
            rows_of(Person, window.partnership_id)
            .filter(death_date__isnull=False, death_date__lte=window.end)
            .values_list("pk", day("death_date")),
            dates=(1,),
        )
        return dict(rows)

    return cached(("deaths", window.partnership_id, window.end), load)


def review_dates(window: Window) -> dict[int, list[date]]:
    """Plan pk -> sorted distinct dates of its review conferences held on or before `to`."""

    def load() -> dict[int, list[date]]:
        rows = fetch(
            rows_of(ReviewConference, window.partnership_id)
            .filter(date__lte=window.end)
            .values_list("plan_id", day("date")),
            dates=(1,),
        )
        by_plan: dict[int, list[date]] = {}
        for plan, held in rows:
            by_plan.setdefault(plan, []).append(held)
        return {plan: sorted(set(dates)) for plan, dates in by_plan.items()}

    return cached(("reviews", window.partnership_id, window.end), load)


class CoreGroupRow(NamedTuple):
    ssd_id: str
    plan_pk: int
    person_pk: int
    held: date
    recorded: date | None


def core_groups(window: Window) -> list[CoreGroupRow]:
    """Core group meetings on or before `to`, from the earliest date any of the three core group
    indicators needs for the window (read once for all three)."""
    keys = ("core_group_first_wd", "core_group_interval_days", "core_group_record_wd")
    first = min(earliest_start(key, window.start) for key in keys)

    def load() -> list[CoreGroupRow]:
        rows = fetch(
            rows_of(CoreGroup, window.partnership_id)
            .filter(date__gte=first, date__lte=window.end)
            .values_list("ssd_id", "plan_id", "person_id", day("date"), day("recorded_date")),
            dates=(3, 4),
        )
        return list(map(CoreGroupRow._make, rows))

    return cached(("core_groups", window.partnership_id, window.start, window.end), load)


def open_at(plan: PlanRow, window: Window, died: Mapping[int, date]) -> bool:
    """Whether a plan is open at `to`: started, not ended, and the child alive."""
    return plan.start <= window.end and plan.end is None and plan.person_pk not in died


# ---- whole columns at once (polars) ---------------------------------------------------------


def flag(field: str) -> Cast:
    """A yes/no column read as 1, 0 or NULL on every database (for `frame`)."""
    return Cast(field, output_field=IntegerField())


def frame(queryset: QuerySet[Any, Any], schema: Mapping[str, Any]) -> pl.DataFrame:
    """The rows of a `values_list` queryset as a polars frame with these column names and types.

    Date columns are read as ISO text (`day`) and parsed as a whole; Boolean ones as 1/0 (`flag`).
    """
    compiler = queryset.query.get_compiler(using=queryset.db)
    sql, params = compiler.as_sql()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    read = {
        name: pl.String if dtype == pl.Date else pl.Int64 if dtype == pl.Boolean else dtype
        for name, dtype in schema.items()
    }
    data = pl.DataFrame(rows, schema=read, orient="row")
    return data.with_columns(
        [
            pl.col(name).str.to_date("%Y-%m-%d") if dtype == pl.Date else pl.col(name).cast(dtype)
            for name, dtype in schema.items()
            if dtype in (pl.Date, pl.Boolean)
        ]
    )


def due_column(key: str, dates: pl.Series) -> pl.Series:
    """The due date for each date of the column (`due_map`: each distinct date worked out once)."""
    table = due_map(key, dates.drop_nulls().unique().to_list())
    return dates.replace_strict(
        list(table), list(table.values()), default=None, return_dtype=pl.Date
    )


def judged(to: date, due: str = "due", done: str = "done", ended: str | None = None) -> pl.Expr:
    """`judge` for whole columns: the status of each row as at `to`."""
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
    """`chain` for whole columns: the links of each plan's chain of events (`plan`, `date`).

    Each event is the `previous` of a link numbered from 1, done by the next event (`done`,
    null for the last). The chain goes on until the reason went (`ended`, on or before `to`):
    links from on or after it are dropped. (The one that falls due after it without being done
    in time is void; later ones would start after it.)
    """
    return (
        events.sort("plan", "date")
        .with_columns(
            done=pl.col("date").shift(-1).over("plan"),
            number=pl.int_range(1, pl.len() + 1).over("plan"),
        )
        .rename({"date": "previous"})
        .filter(pl.col(ended).is_null() | (pl.col("previous") < pl.col(ended)))
    )


_PLAN_SCHEMA = {
    "pk": pl.Int64,
    "ssd_id": pl.String,
    "person_pk": pl.Int64,
    "person_id": pl.String,
    "start": pl.Date,
    "end": pl.Date,
    "birth_month": pl.Date,
}


def plans_frame(window: Window) -> pl.DataFrame:
    """`plans` as a frame, with `ended`: when the plan ended or the child died (on or before
    `to`), the date its obligations go void from."""

    def load() -> pl.DataFrame:
        every = pl.DataFrame(plans(window), schema=_PLAN_SCHEMA, orient="row")
        return every.join(deaths_frame(window), on="person_pk", how="left").with_columns(
            ended=pl.min_horizontal("end", "died")
        )

    return cached(("plans_frame", window.partnership_id, window.end), load)


def deaths_frame(window: Window) -> pl.DataFrame:
    """`deaths` as a frame (`person_pk`, `died`)."""
    died = deaths(window)
    return pl.DataFrame(
        {"person_pk": list(died), "died": list(died.values())},
        schema={"person_pk": pl.Int64, "died": pl.Date},
    )


def reviews_frame(window: Window) -> pl.DataFrame:
    """Distinct (plan, date) of review conferences held on or before `to`."""

    def load() -> pl.DataFrame:
        return frame(
            rows_of(ReviewConference, window.partnership_id)
            .filter(date__lte=window.end)
            .values_list("plan_id", day("date"))
            .distinct(),
            {"plan": pl.Int64, "date": pl.Date},
        )

    return cached(("reviews_frame", window.partnership_id, window.end), load)


def core_groups_frame(window: Window) -> pl.DataFrame:
    """`core_groups` as a frame: ssd_id, plan, person_pk, held, recorded."""
    keys = ("core_group_first_wd", "core_group_interval_days", "core_group_record_wd")
    first = min(earliest_start(key, window.start) for key in keys)

    def load() -> pl.DataFrame:
        return frame(
            rows_of(CoreGroup, window.partnership_id)
            .filter(date__gte=first, date__lte=window.end)
            .values_list("ssd_id", "plan_id", "person_id", day("date"), day("recorded_date")),
            {
                "ssd_id": pl.String,
                "plan": pl.Int64,
                "person_pk": pl.Int64,
                "held": pl.Date,
                "recorded": pl.Date,
            },
        )

    return cached(("core_groups_frame", window.partnership_id, window.start, window.end), load)


def iso(column: str) -> pl.Expr:
    """A date column as YYYY-MM-DD text (for refs)."""
    return pl.col(column).dt.to_string("%Y-%m-%d")
