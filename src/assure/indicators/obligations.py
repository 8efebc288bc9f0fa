"""How every timeliness indicator counts (docs/domain.md section 3), shared by the catalogue.

The obligations are worked out for whole columns at once (polars):

- `frame` reads the rows of a `values_list` query as a polars frame in one block of CSV text.
- `due_column` computes due dates for many start dates at once, each with the timescale version
  in force on its own start date (`due_map`).
- `judged` gives each obligation's status from its due date, the date it was done and the date
  its reason disappeared, as at `to`: anything dated after `to` is ignored, as if not happened.
- `links` walks a recurring obligation (core groups, review conferences, visits): each link is
  due from the previous event and the chain stops at the first link not done by `to`.
- `dated_obligations` reads the obligations due a timescale after a start date of one table.
- `plans_frame`, `deaths_frame`, `reviews_frame`, `core_groups_frame` and `person_ids` are read
  once per `shared_rows()` block (one `compute_all`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, timedelta
from typing import Any, cast

import polars as pl
from django.db import connections
from django.db.models import CharField, F, IntegerField, Model, QuerySet
from django.db.models.functions import Cast

from assure.casedata.models import CoreGroup, CPPlan, Person, ReviewConference
from assure.core import calendar
from assure.core.timescales import all_timescales, timescale
from assure.indicators.engine import Columns, Window

__all__ = [
    "Columns",
    "cached",
    "core_groups_frame",
    "dated_obligations",
    "day",
    "deaths_frame",
    "due_column",
    "due_map",
    "earliest_start",
    "fetch",
    "flag",
    "frame",
    "iso",
    "judged",
    "links",
    "person_ids",
    "plans_frame",
    "reviews_frame",
    "rows_of",
    "shared_rows",
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


def rows_of[M: Model](model: type[M], partnership_id: int) -> QuerySet[M]:
    """The model's rows for one partnership, to narrow further and read with `frame`.

    The partnership is matched through an expression so that SQLite reads the table straight
    through instead of visiting a large share of it row by row through the (partnership, date)
    index, which is several times slower for the fraction of a table an indicator reads.
    """
    rows = model._default_manager.alias(_partnership=F("partnership_id") + 0)
    return cast("QuerySet[M]", rows.filter(_partnership=partnership_id))


def day(field: str) -> Cast:
    """A date column read as its ISO text (`frame` parses the whole column at once, skipping the
    database driver's per-value conversion)."""
    return Cast(field, output_field=CharField())


def fetch(queryset: QuerySet[Any, Any]) -> list[tuple[Any, ...]]:
    """The rows of a `values_list` queryset, read raw with one query (skipping Django's
    per-value converters)."""
    compiler = queryset.query.get_compiler(using=queryset.db)
    sql, params = compiler.as_sql()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


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


# ---- rows several indicators read ----------------------------------------------------------


def person_ids(window: Window) -> dict[int, str]:
    """Person pk -> the case system's person id, for every person (read once)."""

    def load() -> dict[int, str]:
        return dict(fetch(rows_of(Person, window.partnership_id).values_list("pk", "ssd_id")))

    return cached(("people", window.partnership_id), load)


# ---- whole columns at once (polars) ---------------------------------------------------------


def flag(field: str) -> Cast:
    """A yes/no column read as 1, 0 or NULL on every database (for `frame`)."""
    return Cast(field, output_field=IntegerField())


def frame(queryset: QuerySet[Any, Any], schema: Mapping[str, Any]) -> pl.DataFrame:
    """The rows of a `values_list` queryset as a polars frame with these column names and types.

    Date columns are read as ISO text (`day`) and Boolean ones as 1/0 (`flag`). The rows come
    from the database as one block of CSV text (SQLite's `group_concat`, PostgreSQL's `COPY`)
    that polars parses as a whole, so no Python object is made for any value.
    """
    compiler = queryset.query.get_compiler(using=queryset.db)
    sql, params = compiler.as_sql()
    read = {
        name: pl.String if dtype == pl.Date else pl.Int64 if dtype == pl.Boolean else dtype
        for name, dtype in schema.items()
    }
    connection = connections[queryset.db]
    if connection.vendor == "sqlite":
        data = _sqlite_csv(connection, sql, params, list(read.values()))
    elif connection.vendor == "postgresql":
        data = _postgresql_csv(connection, sql, params)
    else:
        data = None
    if data is None:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        parsed = pl.DataFrame(rows, schema=read, orient="row")
    elif not data:
        parsed = pl.DataFrame(schema=read)
    else:
        names = list(read)
        if len(names) == 1:  # a trailing constant, so that no line is empty
            names.append("_")
        parsed = pl.read_csv(
            data,
            has_header=False,
            new_columns=names,
            schema_overrides=dict(zip(names, [*read.values(), pl.Int64], strict=False)),
            infer_schema=False,
        ).select(list(read))
    return parsed.with_columns(
        [
            pl.col(name).str.to_date("%Y-%m-%d") if dtype == pl.Date else pl.col(name).cast(dtype)
            for name, dtype in schema.items()
            if dtype in (pl.Date, pl.Boolean)
        ]
    )


def _sqlite_csv(connection: Any, sql: str, params: Any, dtypes: Sequence[Any]) -> bytes:
    """The query's rows as CSV, built by SQLite itself (one text value for the whole result)."""
    names = [f"c{i}" for i in range(len(dtypes))]
    fields = [
        f"CASE WHEN {name} IS NULL THEN '' ELSE '\"' || replace({name}, '\"', '\"\"') || '\"' END"
        if dtype == pl.String
        else f"coalesce({name}, '')"
        for name, dtype in zip(names, dtypes, strict=True)
    ]
    if len(fields) == 1:
        fields.append("'0'")
    line = " || ',' || ".join(fields)
    # The inner SQL is Django's, with its parameters; only column names are added here.
    wrapped = (
        f"WITH rows_ ({', '.join(names)}) AS ({sql}) "  # noqa: S608
        f"SELECT group_concat({line}, char(10)) FROM rows_"
    )
    with connection.cursor() as cursor:
        cursor.execute(wrapped, params)
        text = cursor.fetchone()[0]
    return text.encode() if text else b""


def _postgresql_csv(connection: Any, sql: str, params: Any) -> bytes:
    """The query's rows as CSV through `COPY ... TO STDOUT` (psycopg 3)."""
    connection.ensure_connection()
    statement = f"COPY ({sql}) TO STDOUT (FORMAT csv)"
    with connection.connection.cursor() as cursor, cursor.copy(statement, params) as copy:
        return b"".join(bytes(block) for block in copy)


def due_column(key: str, dates: pl.Series) -> pl.Series:
    """The due date for each date of the column (`due_map`: each distinct date worked out once)."""
    table = due_map(key, dates.drop_nulls().unique().to_list())
    return dates.replace_strict(
        list(table), list(table.values()), default=None, return_dtype=pl.Date
    )


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
    """Every plan started on or before `to`, by start date, its `end` (null while open at `to`),
    with `died` (the child's death on or before `to`) and `ended`: when the plan ended or the
    child died (on or before `to`), the date its obligations go void from."""

    def load() -> pl.DataFrame:
        every = frame(
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
            _PLAN_SCHEMA,
        )
        end = pl.col("end")
        every = every.with_columns(end=pl.when(end <= window.end).then(end)).sort("start", "pk")
        return every.join(deaths_frame(window), on="person_pk", how="left").with_columns(
            ended=pl.min_horizontal("end", "died")
        )

    return cached(("plans_frame", window.partnership_id, window.end), load)


def deaths_frame(window: Window) -> pl.DataFrame:
    """The children who died on or before `to` (`person_pk`) and when (`died`)."""

    def load() -> pl.DataFrame:
        return frame(
            rows_of(Person, window.partnership_id)
            .filter(death_date__isnull=False, death_date__lte=window.end)
            .values_list("pk", day("death_date")),
            {"person_pk": pl.Int64, "died": pl.Date},
        )

    return cached(("deaths_frame", window.partnership_id, window.end), load)


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
    """Core group meetings on or before `to` (ssd_id, plan, person_pk, held, recorded), from the
    earliest date any of the three core group indicators needs for the window (read once for
    all three)."""
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
    the `extra` fields as text, and due. The status is for the indicator to add.
    """
    to = window.end
    rows = frame(
        rows_of(model, window.partnership_id)
        .filter(
            **{f"{start_field}__gte": earliest_start(key, window.start), f"{start_field}__lte": to}
        )
        .values_list("ssd_id", "person_id", day(start_field), day(done_field), *extra),
        {
            "ssd_id": pl.String,
            "person_pk": pl.Int64,
            "start": pl.Date,
            "done": pl.Date,
            **dict.fromkeys(extra, pl.String),
        },
    )
    return rows.with_columns(due=due_column(key, rows["start"])).filter(
        pl.col("due") >= window.start
    )


def iso(column: str) -> pl.Expr:
    """A date column as YYYY-MM-DD text (for refs)."""
    return pl.col(column).dt.to_string("%Y-%m-%d")
