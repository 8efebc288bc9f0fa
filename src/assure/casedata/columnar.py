"""Each snapshot's case data as columns, so the indicator catalogue reads it in milliseconds.

The indicators read whole tables at once (polars). Producing a million rows from the
relational tables takes about a second for a 100,000-child authority, and the data only changes
when an extract is imported or purged. So each table is read once per snapshot, kept as Arrow
IPC in `SnapshotColumns`, and loaded from there afterwards (ADR 5).

- `stored(snapshot, model)`: the model's rows for the snapshot's partnership as Arrow IPC
  (zstd), built and stored the first time it is asked for.
- `stored_many(snapshot, models)`: the same for several models, those already built read in one
  query.
- `read(data, columns)`: those columns of stored rows as a polars frame (only the columns
  asked for are decompressed).
- `forget(partnership_id)`: drop the stored columns (an import or a purge changed the data).

Columns are named after the model's fields: `id`, `ssd_id`, each foreign key by its column
(`person_id`, `plan_id`, ...), other fields by name. Dates are `pl.Date`, yes/no fields
`pl.Boolean` (null when blank); `partnership_id` and `row_hash` are left out. Rows are in
primary key order.
"""

from __future__ import annotations

import io
import time
from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl
from django.db import IntegrityError, connections, models, transaction
from django.db.models.functions import Cast

from assure.casedata.models import ImportSnapshot, SnapshotColumns

__all__ = ["FORMAT", "forget", "read", "schema", "stored", "stored_many"]

FORMAT = 1  # bump when the columns' layout changes: older stored columns are then ignored
_LEFT_OUT = {"partnership", "row_hash"}


def schema(model: type[models.Model]) -> dict[str, Any]:
    """Column name -> polars type for the model's stored columns."""
    columns: dict[str, Any] = {}
    for field in model._meta.concrete_fields:
        if field.name in _LEFT_OUT:
            continue
        if isinstance(field, models.DateField):
            columns[field.attname] = pl.Date
        elif isinstance(field, models.BooleanField):
            columns[field.attname] = pl.Boolean
        elif isinstance(field, models.CharField):
            columns[field.attname] = pl.String
        else:  # primary and foreign keys, integers
            columns[field.attname] = pl.Int64
    return columns


def stored(snapshot: ImportSnapshot, model: type[models.Model]) -> bytes:
    """The model's rows of the snapshot's partnership as Arrow IPC, built the first time."""
    label = model._meta.label_lower
    found = _fetch(
        SnapshotColumns.objects.filter(snapshot=snapshot, table=label, format=FORMAT).values_list(
            "data"
        )[:1]
    )
    if found is not None:
        return found
    columns = _read(model, snapshot.partnership_id)
    buffer = io.BytesIO()
    columns.write_ipc(buffer, compression="zstd")
    data = buffer.getvalue()
    try:
        with transaction.atomic():
            SnapshotColumns.objects.create(
                snapshot=snapshot,
                table=label,
                format=FORMAT,
                rows=columns.height,
                data=data,
            )
    except IntegrityError:
        pass  # built at the same time by another request or the worker
    return data


def stored_many(
    snapshot: ImportSnapshot, models_: Sequence[type[models.Model]]
) -> dict[type[models.Model], bytes]:
    """`stored` for each of the models: those already built are read in one query."""
    labels = {model._meta.label_lower: model for model in models_}
    found = _fetch_all(
        SnapshotColumns.objects.filter(
            snapshot=snapshot, table__in=list(labels), format=FORMAT
        ).values_list("table", "data")
    )
    data = {labels[label]: bytes(value) for label, value in found}
    return {model: data.get(model) or stored(snapshot, model) for model in models_}


def read(data: bytes, columns: Sequence[str] = ()) -> pl.DataFrame:
    """The named columns (every column when none are named) of rows from `stored`."""
    return pl.read_ipc(io.BytesIO(data), columns=list(columns) or None)


def _fetch(queryset: models.QuerySet[Any, Any]) -> bytes | None:
    """The one value a one-column, one-row queryset selects, if any (`_fetch_all`)."""
    rows = _fetch_all(queryset)
    return bytes(rows[0][0]) if rows else None


def _fetch_all(queryset: models.QuerySet[Any, Any]) -> list[tuple[Any, ...]]:
    """The rows a `values_list` queryset selects.

    On PostgreSQL they are fetched in binary, skipping bytea's hex text form (Django's cursors
    only read text).
    """
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return list(queryset)
    import psycopg

    sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    connection.ensure_connection()
    began = time.monotonic()
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, params, binary=True)
        rows = cursor.fetchall()
    if connection.queries_logged:  # counted like any other query (query-count tests, DEBUG)
        connection.queries_log.append(
            {"sql": f"{sql} -- binary, {params!r}", "time": f"{time.monotonic() - began:.3f}"}
        )
    return rows


def forget(partnership_id: int) -> None:
    """Drop every stored column of the partnership's snapshots (its case data changed)."""
    SnapshotColumns.objects.filter(snapshot__partnership_id=partnership_id).delete()


# ---- reading the relational rows -------------------------------------------------------------


def _read(model: type[models.Model], partnership_id: int) -> pl.DataFrame:
    """Every row of the model for the partnership, read as one block of CSV text."""
    wanted = schema(model)
    selected = [
        Cast(name, output_field=models.CharField())
        if dtype == pl.Date
        else Cast(name, output_field=models.IntegerField())
        if dtype == pl.Boolean
        else name
        for name, dtype in wanted.items()
    ]
    queryset = (
        model._default_manager.filter(partnership_id=partnership_id)
        .order_by()
        .values_list(*selected)
    )
    return _frame(queryset, wanted).sort("id")


def _frame(queryset: models.QuerySet[Any, Any], wanted: Mapping[str, Any]) -> pl.DataFrame:
    """The rows of a `values_list` queryset as a polars frame with these column names and types.

    Date columns arrive as ISO text and yes/no ones as 1/0. The rows come from the database as
    one block of CSV text (SQLite's `group_concat`, PostgreSQL's `COPY`) that polars parses as a
    whole, so no Python object is made for any value.
    """
    compiler = queryset.query.get_compiler(using=queryset.db)
    sql, params = compiler.as_sql()
    read = {
        name: pl.String if dtype == pl.Date else pl.Int64 if dtype == pl.Boolean else dtype
        for name, dtype in wanted.items()
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
            for name, dtype in wanted.items()
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
