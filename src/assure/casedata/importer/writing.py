"""Writing a checked extract over the previous one: add new rows, update changed, delete gone.

`Writer` is the validator's sink (`validation.Sink`): it is handed each batch of rows as soon
as the batch is checked, so an extract is read once. It must run inside a transaction, which
the caller rolls back if any problem is found (see `run.import_tables`).

Each row's fingerprint (`row_hash`, a hash of its stored values) is compared with the stored
one, keyed by the case system's id, one table at a time: unchanged rows are not touched.
Rows are given as polars columns and stay columns to the database: references are mapped to
primary keys, fingerprints computed and dates written as text by polars, and rows are staged
(SQLite, `staging.Staging`) or sent as COPY text made by polars (PostgreSQL) with no Python
object per value (changed rows too, into a temporary table that one UPDATE reads);
`executemany` is left for writing inside a caller's transaction on SQLite. What is stored is
read back a column at a time, as one text each (`_stored`).
On PostgreSQL the rows of a table with nothing stored go through one COPY left open for the
whole table (a `lane.CopyStream`); nothing else may use the connection meanwhile (the
validator's progress callback included), and `abandon` must end it if checking stops before
the table's `end`. When every case data table is empty (a first import) the ids are given
here, not by the database, so no table waits to read back the ids of the tables it refers to,
and all the server's work (each COPY, keys and indexes added back) runs on a `lane.Lane` while
the next tables are checked: writing 100,000 children took 4.9 s, and takes 3.5 s.

Into a table that is still empty, a large table's secondary indexes are dropped and built
again once its rows are in (inside the same transaction), which is several times faster than
keeping them up to date row by row. On PostgreSQL this is done for every empty table, and its
foreign keys and unique constraint go and come back too, and so does its primary key when no
other table refers to it (see `Writer._drop_indexes`).
"""

import io
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import polars as pl
from django.db import connection
from django.db.models import Model

from assure.casedata import models as casedata_models
from assure.casedata.contract import BY_NAME, TABLES, Kind, Table
from assure.casedata.importer.lane import CopyStream, Lane, NotPipelined, Stopped
from assure.casedata.importer.reading import TableSource
from assure.casedata.importer.staging import (
    NotTransferable,
    Staging,
    casedata_indexed_models,
    update_from,
)
from assure.casedata.importer.validation import (
    Batch,
    Columns,
    Problems,
    ReadError,
    TableLayout,
    layout,
)

# Change when what is stored for a row changes, so that the next import rewrites every row.
CONTRACT_VERSION = 2
COPY_ROWS = 65536  # rows a piece of COPY text (PostgreSQL)
# Rows (roughly, from the file's size) above which an empty table's indexes are built after.
DEFER_INDEXES_ROWS = 20_000
SQLITE_CACHE_KIB = 64 * 1024  # SQLite's page cache while importing (its default is 2 MB)


def row_hashes(columns: Sequence[pl.Series | list[str]]) -> pl.Series:
    """A 64-bit fingerprint of each row, from its values (given a column of text at a time),
    computed by polars on whole columns. Stable for a given polars version (pinned): a new one
    may fingerprint differently, and then the next import rewrites each row once, as if
    changed."""
    frame = pl.DataFrame(
        [pl.Series(str(n), values, dtype=pl.String) for n, values in enumerate(columns)]
    )
    joined = pl.concat_str(pl.all(), separator="\x1f").hash(CONTRACT_VERSION)
    return frame.select(joined).to_series().reinterpret(signed=True)


def _lookup(keys: pl.Series, table: pl.DataFrame, value: str, dtype: Any) -> pl.Series:
    """Each key's `value` in `table` (whose first column holds each key once), null where the
    key is not there. A join: `replace_strict` took 1.5 times as long on real columns."""
    key = table.columns[0]
    found = pl.DataFrame({key: keys}).join(
        table.select(key, pl.col(value).cast(dtype)),
        on=key,
        how="left",
        validate="m:1",
        maintain_order="left",
    )
    return found.to_series(1).alias(keys.name)


def _iso(values: pl.Series) -> pl.Series:
    """Dates as text, YYYY-MM-DD (null stays null)."""
    return values.dt.to_string("%Y-%m-%d")


def _stored(model: type[Model], partnership_id: int, *values: str) -> pl.DataFrame:
    """The partnership's rows of a table: each one's ssd_id and `values` (integer columns),
    read in one query as one text a column (the ids a JSON array, the integers joined by
    commas), with no Python object per row: fetching rows, or COPY's message a row, took
    three to five times as long.

    On SQLite the table is scanned whole: without statistics its planner would walk the
    index on (partnership_id, date) and look each row up, 0.5 s for 377,000 visits against
    0.04 s.
    """
    quote = connection.ops.quote_name
    if connection.vendor == "postgresql":
        ids = "json_agg(ssd_id)::text"
        joined = [f"string_agg({quote(name)}::text, ',')" for name in values]
        source = quote(model._meta.db_table)
    else:
        ids = "json_group_array(ssd_id)"
        joined = [f"group_concat({quote(name)}, ',')" for name in values]
        source = f"{quote(model._meta.db_table)} NOT INDEXED"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join([ids, *joined])} FROM {source} "  # noqa: S608
            "WHERE partnership_id = %s",
            [partnership_id],
        )
        found_ids, *found = cursor.fetchone()
    columns = [pl.Series("ssd_id", json.loads(found_ids or "[]"), dtype=pl.String)]
    for name, text in zip(values, found, strict=True):
        numbers = pl.Series(name, [text] if text else [], dtype=pl.String)
        columns.append(numbers.str.split(",").explode().cast(pl.Int64))
    return pl.DataFrame(columns)


def _column(model: type[Model], name: str | None) -> str:
    field = model._meta.get_field(name or "")
    column = getattr(field, "column", None)
    assert isinstance(column, str)
    return column


def model_for(table: Table) -> type[Model]:
    model: type[Model] = getattr(casedata_models, table.model)
    return model


_COPY_ESCAPES = (["\\", "\t", "\n", "\r"], ["\\\\", "\\t", "\\n", "\\r"])


def _copy_data(rows: pl.DataFrame) -> bytes:
    """Rows in PostgreSQL's COPY text format: a line each, values separated by tabs, NULL as
    \\N, and backslash, tab, newline and carriage return in text escaped."""
    columns = []
    for name, dtype in rows.schema.items():
        column = pl.col(name)
        if dtype == pl.String:
            column = column.str.replace_many(*_COPY_ESCAPES)
        elif dtype == pl.Boolean:
            column = pl.when(column).then(pl.lit("t")).when(column.not_()).then(pl.lit("f"))
        columns.append(column.alias(name))
    data = io.BytesIO()
    rows.select(columns).write_csv(
        data,
        include_header=False,
        separator="\t",
        line_terminator="\n",
        quote_style="never",
        null_value="\\N",
        date_format="%Y-%m-%d",
    )
    return data.getvalue()


def _write_copy(copy: Any, rows: pl.DataFrame) -> None:
    """Write rows to an open COPY (anything with `write(bytes)`), a piece at a time."""
    for piece in rows.iter_slices(COPY_ROWS):
        copy.write(_copy_data(piece))


_NO_KEYS = pl.DataFrame(schema={"ssd_id": pl.String, "id": pl.Int64})
_NO_HASHES = pl.DataFrame(schema={"ssd_id": pl.String, "row_hash": pl.Int64})


@dataclass
class TableChanges:
    rows: int = 0
    added: int = 0
    changed: int = 0
    removed: int = 0

    def as_dict(self) -> dict[str, int]:
        return {
            "rows": self.rows,
            "added": self.added,
            "changed": self.changed,
            "removed": self.removed,
        }


@dataclass
class _Table:
    """What writing one table needs, worked out once when it begins."""

    table: Table
    model: type[Model]
    id_at: int
    hashed_at: list[int]
    presence: set[int]
    ref_maps: list[tuple[int, pl.DataFrame | None]]  # ssd_id -> pk of the table referred to
    db_columns: list[str]
    stored: pl.DataFrame  # ssd_id -> row_hash of the rows stored before
    filing: pl.DataFrame | None  # ssd_id -> letter and meeting filing dates
    changes: TableChanges
    seen: list[pl.Series] = field(default_factory=list)  # the ssd_ids written
    deferred_indexes: list[str] = field(default_factory=list)
    stream: CopyStream | None = None  # open COPY (PostgreSQL, nothing stored at begin)


class Writer:
    """Writes each table's checked batches (a `validation.Sink`); `finish` deletes what went.

    Given a `staging` (SQLite), the changes are staged rather than written, and `apply` writes
    them (with what `finish` found gone) under the write lock: see `staging`.

    On PostgreSQL, when every case data table is empty (a first import, unless `pipeline` is
    false), new rows are given ids here, from each table's sequence, and the server's work
    goes to a `lane.Lane` that does it while the next tables are checked; should a table have
    rows once locked (another import), writing raises `NotPipelined` (from a batch or from
    `finish`), and the caller writes the extract again without.
    """

    def __init__(
        self,
        partnership_id: int,
        sources: dict[str, TableSource],
        staging: "Staging | None" = None,
        pipeline: bool = True,
    ):
        self.partnership_id = partnership_id
        self.sources = sources
        self.staging = staging
        # New rows' ids by ssd_id, for the tables others refer to (staging only).
        self.referenced = {c.ref for t in TABLES for c in t.columns if c.kind == Kind.REF}
        self.staged_ids: dict[str, list[pl.DataFrame]] = {}
        self.changes: dict[str, TableChanges] = {}
        self.pk_maps: dict[str, pl.DataFrame] = {}
        self.removed_ids: dict[str, list[str]] = {}
        self.current: _Table | None = None
        self.postgres = connection.vendor == "postgresql"
        self.quote = connection.ops.quote_name
        # Indexes `apply` dropped, to be built after the swap commits (`staging.build_indexes`).
        self.indexes_to_build: list[str] = []
        self.lane: Lane | None = None
        self.next_id: dict[str, int] = {}  # db table -> the id of its next new row (lane)
        self.rebuild: dict[str, list[str]] = {}  # db table -> what adds its keys back (lane)
        self.unfinished: list[type[Model]] = []  # tables whose keys the lane has yet to add back
        if self.postgres and staging is None and pipeline:
            self._open_lane()

    def _open_lane(self) -> None:
        """Open a lane if every case data table is empty, taking each one's next id."""
        names = [m._meta.db_table for m in casedata_indexed_models()]
        tables = [self.quote(name) for name in names]
        with connection.cursor() as cursor:
            # Names come from the models, never from the extract.
            cursor.execute(
                "SELECT " + " OR ".join(f"EXISTS (SELECT 1 FROM {t})" for t in tables)  # noqa: S608
            )
            if cursor.fetchone()[0]:
                return
            cursor.execute(
                "SELECT " + ", ".join(["nextval(pg_get_serial_sequence(%s, 'id'))"] * len(tables)),
                tables,
            )
            self.next_id = dict(zip(names, cursor.fetchone(), strict=True))
        connection.ensure_connection()
        self.lane = Lane(connection.connection)
        # Every table's keys go first, while the first table is checked, children first: a
        # primary key goes only once no foreign key refers to it. They come back table by
        # table, parents first (`_finish_table`).
        self.unfinished = casedata_indexed_models()
        for model in reversed(self.unfinished):
            self.lane.run(self._prepare, model)

    # The sink's side: called by the validator, table by table in contract order.

    def absent(self, table: Table) -> None:
        """A table missing from this extract is unknown: the previous extract's rows go."""
        if not table.model:
            return
        if self.lane is not None:  # nothing stored
            self.changes[table.name] = TableChanges()
            self._finish_on_lane(model_for(table), None)
            return
        stored = _stored(model_for(table), self.partnership_id)
        self.removed_ids[table.name] = stored["ssd_id"].to_list()
        self.changes[table.name] = TableChanges(removed=len(self.removed_ids[table.name]))

    def begin(self, found: TableLayout) -> None:
        table = found.table
        self.current = None
        if table.merge_into:
            return
        model = model_for(table)
        stored_columns = [
            (i, c) for i, c in enumerate(table.columns) if c.field and c.kind != Kind.ID
        ]
        id_at = next(i for i, c in enumerate(table.columns) if c.kind == Kind.ID)
        db_columns = [_column(model, c.field) for _, c in stored_columns]
        filing = self._filing() if table.name == "ssd_pre_proceedings" else None
        if filing is not None:
            db_columns += ["letter_filed_date", "meeting_filed_date"]
        # Staging, the stored ids cannot change before the table's end: read them now too.
        keys = ["id"] if self.staging is not None and table.name in self.referenced else []
        stored = (
            _NO_HASHES
            if self.lane is not None
            else _stored(model, self.partnership_id, "row_hash", *keys)
        )
        self.current = _Table(
            table=table,
            model=model,
            id_at=id_at,
            hashed_at=[id_at] + [i for i, _ in stored_columns],
            presence={i for i, c in enumerate(table.columns) if c.kind == Kind.PRESENCE},
            ref_maps=[
                (i, self.pk_maps.get(c.ref, _NO_KEYS) if c.kind == Kind.REF else None)
                for i, c in stored_columns
            ],
            db_columns=db_columns,
            stored=stored,
            filing=filing,
            changes=TableChanges(),
        )
        if self.lane is not None:
            self.lane.copy(self._copy_sql(self.current))
            return
        if (
            self.staging is None
            and stored.is_empty()
            and (self.postgres or found.source.size_hint() >= DEFER_INDEXES_ROWS)
            and not model.objects.exists()  # type: ignore[attr-defined]
        ):
            self.current.deferred_indexes = self._drop_indexes(model)
        if self.postgres and stored.is_empty():
            self._open_stream(self.current)

    def write(self, table: Table, batch: Batch) -> None:
        current = self.current
        if current is None:
            return
        changes = current.changes
        ssd_ids = batch.values[current.id_at]
        current.seen.append(ssd_ids)
        presence = current.presence
        # The fingerprint is of the text read (never of free text, only its presence).
        hashed = [
            (batch.raw[i] != "").replace_strict({True: "1", False: ""}, return_dtype=pl.String)
            if i in presence
            else batch.raw[i]
            for i in current.hashed_at
        ]
        filing = []
        if current.filing is not None:
            filing = [
                _lookup(ssd_ids, current.filing, "letter", pl.Date),
                _lookup(ssd_ids, current.filing, "meeting", pl.Date),
            ]
            hashed += [_iso(dates).fill_null("") for dates in filing]
        fingerprints = row_hashes(hashed)
        if current.stored.is_empty():
            # Nothing stored (a first import): all rows are new.
            columns = self._as_stored(current, batch.values, filing)
            self._insert(current, self._keyed(ssd_ids, fingerprints, columns), None)
            changes.added += len(ssd_ids)
            return
        previous = _lookup(ssd_ids, current.stored, "row_hash", pl.Int64)
        written = previous.is_null() | (previous != fingerprints)
        if not written.any():
            return
        # Only the rows written are made ready for the database: most of a re-import's rows
        # are unchanged.
        new = previous.filter(written).is_null()
        ssd_ids, fingerprints = ssd_ids.filter(written), fingerprints.filter(written)
        values = [v.filter(written) for v in batch.values]
        columns = self._as_stored(current, values, [d.filter(written) for d in filing])
        keyed = self._keyed(ssd_ids, fingerprints, columns)
        partnership = keyed[0]
        if new.any():
            self._insert(current, keyed, new)
            changes.added += int(new.sum())
        if not new.all():
            changed = ~new
            self._update(current, [fingerprints, *columns, partnership, ssd_ids], changed)
            changes.changed += int(changed.sum())

    def _as_stored(
        self, current: _Table, values: list[pl.Series], filing: list[pl.Series]
    ) -> list[pl.Series]:
        """The stored columns of these rows: references as primary keys, the filing dates
        after them, and dates as text on SQLite."""
        columns = [
            _lookup(values[i], keys, "id", pl.Int64) if keys is not None else values[i]
            for i, keys in current.ref_maps
        ] + filing
        if not self.postgres:
            # SQLite stores dates as text.
            columns = [_iso(c) if c.dtype == pl.Date else c for c in columns]
        return columns

    def _keyed(
        self, ssd_ids: pl.Series, fingerprints: pl.Series, columns: list[pl.Series]
    ) -> list[pl.Series]:
        """The columns an insert writes: partnership, ssd_id, fingerprint, then the stored."""
        partnership = pl.repeat(self.partnership_id, len(ssd_ids), dtype=pl.Int64, eager=True)
        return [partnership, ssd_ids, fingerprints, *columns]

    def end(self, table: Table, rows: int) -> None:
        current, self.current = self.current, None
        if current is None:  # merged into another table (PLO filing dates)
            self.changes[table.name] = TableChanges(rows=rows)
            return
        self._close_stream(current)
        if self.staging is not None:
            self.staging.staged_all(current.model)
        changes = current.changes
        changes.rows = rows
        gone = current.stored
        if current.seen and not gone.is_empty():
            gone = gone.filter(~pl.col("ssd_id").is_in(pl.concat(current.seen).implode()))
        self.removed_ids[table.name] = gone["ssd_id"].to_list()
        changes.removed = gone.height
        self.changes[table.name] = changes
        if self.lane is not None:
            self.lane.end_copy()
            last = self.next_id[current.model._meta.db_table] - 1 if changes.added else None
            self._finish_on_lane(current.model, last)
        elif current.deferred_indexes:
            with connection.cursor() as cursor:
                self._run_queued_checks(cursor)
                for statement in current.deferred_indexes:
                    cursor.execute(statement)
        if table.name in self.referenced:
            if self.lane is not None:
                stored_keys = _NO_KEYS
            elif "id" in current.stored.columns:
                stored_keys = current.stored.select("ssd_id", "id")
            else:
                stored_keys = _stored(current.model, self.partnership_id, "id")
            staged = self.staged_ids.pop(table.name, [])
            self.pk_maps[table.name] = pl.concat([stored_keys, *staged]).unique(
                "ssd_id", keep="last", maintain_order=True
            )

    def abandon(self) -> None:
        """The import stopped part way and is undone: cancel an open COPY, and the lane's
        work. Call before the connection is used again."""
        if self.lane is not None:
            lane, self.lane = self.lane, None
            lane.stop(cancel=True)  # what failed there matters no more
        elif self.current is not None:
            self._close_stream(self.current, Stopped("the import stopped part way"))

    def finish(self) -> dict[str, TableChanges]:
        """Wait for the lane's work, raising what failed there; delete the rows no longer in
        the extract, children before parents (when staging, `apply` does)."""
        if self.lane is not None:
            for model in list(self.unfinished):  # none, when every table was checked
                self._finish_on_lane(model, None)
            lane, self.lane = self.lane, None
            error = lane.stop(cancel=False)
            if error is not None:
                with connection.wrap_database_errors:  # as Django's own errors
                    raise error
        if self.staging is None:
            self._delete_gone()
        return self.changes

    def apply(self) -> None:
        """Write what was staged (under the write lock): new and changed rows parents first,
        then the rows gone, children first.

        Into a table still empty, many rows go in faster without its secondary indexes, and
        building them is most of the rest: they are dropped here and built after the swap
        commits (`indexes_to_build`), so the write lock is not held for that. Unique indexes,
        which enforce something, stay (`_drop_indexes`). A first import staged for copying
        whole (`staging.transfer`) copies each table so, and checks the references after.
        """
        staging = self.staging
        assert staging is not None
        if staging.transfer:
            self._transfer(staging)
            return
        for table in TABLES:
            if not table.model or table.merge_into:
                continue
            model = model_for(table)
            new = self.changes.get(table.name, TableChanges()).added
            if new >= DEFER_INDEXES_ROWS and not model.objects.exists():  # type: ignore[attr-defined]
                self.indexes_to_build += self._drop_indexes(model)
            staging.copy_new(model)
            staging.copy_changed(model)
        self._delete_gone()

    def _transfer(self, staging: Staging) -> None:
        """A first import's swap: every table copied whole, parents first (without its
        secondary indexes: see `apply`), then their references to rows that do not exist
        looked for (foreign keys are off meanwhile: see `Staging.check_copied`); a table no
        longer empty raises `NotTransferable` (the caller swaps again the usual way)."""
        changed = any(staging.staged(model_for(t), "changed") for t in TABLES if t.model)
        if changed or any(self.removed_ids.values()) or not staging.destinations_empty():
            raise NotTransferable("case data was written since staging began")
        for table in TABLES:
            if not table.model or table.merge_into:
                continue
            model = model_for(table)
            if staging.staged(model, "new") is None:
                continue
            self.indexes_to_build += self._drop_indexes(model)
            staging.copy_whole(model)
        staging.check_copied()

    def _delete_gone(self) -> None:
        for table in reversed(TABLES):
            if table.model:
                self._delete(table)

    # Reading and writing.

    def _filing(self) -> pl.DataFrame:
        """Filing dates from assure_plo_filing, by pre-proceedings id (a few per child).

        That file comes after ssd_pre_proceedings in the contract, so it is read here before
        its turn to be checked; a bad value is left unknown here, and is reported (undoing the
        import) when the file is checked.
        """
        source = self.sources.get("assure_plo_filing")
        found = None if source is None else layout(BY_NAME["assure_plo_filing"], source, Problems())
        names = ("ssd_id", "letter", "meeting")
        filing = [pl.DataFrame(schema={"ssd_id": pl.String, "letter": pl.Date, "meeting": pl.Date})]
        try:
            for batch in [] if found is None else found.batches(Columns()):
                filing.append(pl.DataFrame(dict(zip(names, batch.values[:3], strict=True))))
        except ReadError:
            pass
        return pl.concat(filing).unique("ssd_id", keep="last", maintain_order=True)

    def _insert(
        self, current: _Table, columns: list[pl.Series], selected: pl.Series | None
    ) -> None:
        """Insert the rows (given a column at a time), or only the `selected` ones."""
        names = ["partnership_id", "ssd_id", "row_hash", *current.db_columns]
        rows = pl.DataFrame(dict(zip(names, columns, strict=True)))
        if selected is not None:
            rows = rows.filter(selected)
        if self.postgres:
            if self.lane is not None:
                rows = rows.insert_column(0, self._new_ids(current, rows))
            already_open: Any = self.lane or current.stream  # a COPY open for the table
            if already_open is not None:
                _write_copy(already_open, rows)
                return
            with connection.cursor() as cursor:
                raw: Any = cursor.cursor
                with raw.copy(self._copy_sql(current)) as copy:
                    _write_copy(copy, rows)
            return
        if self.staging is not None:
            ids = self._new_ids(current, rows)
            self.staging.insert(current.model, "new", ["id", *names], [ids, *rows.get_columns()])
            return
        connection.ensure_connection()
        raw_connection: Any = connection.connection
        raw_connection.executemany(
            f"INSERT INTO {self.quote(current.model._meta.db_table)} "  # noqa: S608
            f"({', '.join(map(self.quote, names))}) VALUES ({', '.join(['?'] * len(names))})",
            rows.iter_rows(),
        )

    def _new_ids(self, current: _Table, rows: pl.DataFrame) -> pl.Series:
        """Ids for new rows (staged, or a lane's), kept by ssd_id for the tables others refer
        to."""
        if self.staging is not None:
            start = self.staging.new_ids(current.model, rows.height).start
        else:
            table = current.model._meta.db_table
            start = self.next_id[table]
            self.next_id[table] = start + rows.height
        ids = pl.int_range(start, start + rows.height, dtype=pl.Int64, eager=True).alias("id")
        if current.table.name in self.referenced:
            staged = self.staged_ids.setdefault(current.table.name, [])
            staged.append(pl.DataFrame([rows["ssd_id"], ids]))
        return ids

    def _finish_on_lane(self, model: type[Model], last_id: int | None) -> None:
        assert self.lane is not None
        self.unfinished.remove(model)
        self.lane.run(self._finish_table, model, last_id)

    def _prepare(self, cursor: Any, model: type[Model]) -> None:
        """On the lane: drop the table's keys and indexes (which locks it), then check that it
        is still empty."""
        table = model._meta.db_table
        self.rebuild[table] = self._drop_indexes(model, cursor)
        cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {self.quote(table)})")  # noqa: S608
        if cursor.fetchone()[0]:
            raise NotPipelined(f"{table} has rows written since the import began")

    def _finish_table(self, cursor: Any, model: type[Model], last_id: int | None) -> None:
        """On the lane, once the table's COPY is done: its keys and indexes back, and its
        sequence moved past the ids given."""
        table = model._meta.db_table
        self._run_queued_checks(cursor)
        for statement in self.rebuild.pop(table):
            cursor.execute(statement)
        if last_id is not None:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)",
                [self.quote(table), last_id],
            )

    def _copy_sql(self, current: _Table) -> str:
        names = ["partnership_id", "ssd_id", "row_hash", *current.db_columns]
        if self.lane is not None:
            names.insert(0, "id")
        # Table and column names come from the models, never from the extract.
        return (
            f"COPY {self.quote(current.model._meta.db_table)} "
            f"({', '.join(map(self.quote, names))}) FROM STDIN"
        )

    def _open_stream(self, current: _Table) -> None:
        current.stream = CopyStream(self._copy_sql(current))

    def _close_stream(self, current: _Table, error: Exception | None = None) -> None:
        if current.stream is not None:
            stream, current.stream = current.stream, None
            stream.close(error)

    def _update(self, current: _Table, columns: list[pl.Series], selected: pl.Series) -> None:
        """Update the `selected` rows, given a column at a time: the fingerprint, the stored
        columns, then partnership and ssd_id (the key)."""
        names = ["row_hash", *current.db_columns, "partnership_id", "ssd_id"]
        rows = pl.DataFrame(dict(zip(names, columns, strict=True))).filter(selected)
        if self.staging is not None:
            self.staging.insert(current.model, "changed", names, rows.get_columns())
            return
        if self.postgres:
            self._update_by_copy(current, names, rows)
            return
        updates = list(rows.iter_rows())
        quote = self.quote
        sql = (
            f"UPDATE {quote(current.model._meta.db_table)} SET row_hash = %s, "  # noqa: S608
            + ", ".join(f"{quote(c)} = %s" for c in current.db_columns)
            + " WHERE partnership_id = %s AND ssd_id = %s"
        )
        with connection.cursor() as cursor:
            cursor.executemany(sql, updates)

    def _update_by_copy(self, current: _Table, names: list[str], rows: pl.DataFrame) -> None:
        """PostgreSQL: the changed rows COPYed into a temporary table, then one UPDATE from it
        (an UPDATE a row took about 50 microseconds each, a second for 18,843 visits)."""
        quote = self.quote
        table = quote(current.model._meta.db_table)
        changed = quote(f"assure_changed_{current.model._meta.db_table}")
        columns = ", ".join(map(quote, names))
        with connection.cursor() as cursor:
            # Names come from the models, never from the extract.
            cursor.execute(
                f"CREATE TEMPORARY TABLE {changed} ON COMMIT DROP AS "  # noqa: S608
                f"SELECT {columns} FROM {table} WITH NO DATA"
            )
            raw: Any = cursor.cursor
            with raw.copy(f"COPY {changed} ({columns}) FROM STDIN") as copy:
                for piece in rows.iter_slices(COPY_ROWS):
                    copy.write(_copy_data(piece))
            update_from(table, changed, names)
            cursor.execute(f"DROP TABLE {changed}")

    def _drop_indexes(self, model: type[Model], cursor: Any = None) -> list[str]:
        """Drop a table's secondary indexes; the statements that build them again.

        On SQLite unique indexes (the primary key, one id per partnership) stay, so
        uniqueness is still enforced row by row, and each statement is a `CREATE INDEX`
        (`staging.build_indexes`). On PostgreSQL the table's foreign
        keys and its one id per partnership go too, and so does its primary key when no other
        table refers to it (a quarter off the COPY of visits, 0.64 s to 0.48 s; the foreign keys
        to a table need its primary key's index; a lane drops every table's foreign keys
        first, so every primary key goes). The statements returned add them back (keys
        first), each checked for the whole table at once: the validator has refused repeated
        ids and unknown references already, so these are a backstop, and the import fails whole
        if one is broken.
        """
        if cursor is None:
            with connection.cursor() as cursor:
                return self._drop_indexes(model, cursor)
        table = model._meta.db_table
        self._run_queued_checks(cursor)
        if self.postgres:
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes "
                "WHERE schemaname = current_schema() AND tablename = %s AND indexname "
                "NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
                [table, table],
            )
        else:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE INDEX %%'",
                [table],
            )
        found = cursor.fetchall()
        for name, _ in found:
            cursor.execute(f"DROP INDEX {self.quote(name)}")
        statements = [statement for _, statement in found]
        if self.postgres:
            # Keys too: unique indexes built from sorted rows, and each foreign key checked
            # by one join, rather than each row's index entry and trigger (SQLite's checks
            # are cheap, and cannot be dropped). The primary key comes back first.
            cursor.execute(
                "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND (contype IN ('u', 'f') OR contype = 'p' "
                "AND NOT EXISTS (SELECT FROM pg_constraint WHERE confrelid = %s::regclass)) "
                "ORDER BY contype <> 'p', conname",
                [table, table],
            )
            table_sql = self.quote(table)
            keys: list[str] = []
            for name, kind, definition in cursor.fetchall():
                cursor.execute(f"ALTER TABLE {table_sql} DROP CONSTRAINT {self.quote(name)}")
                add = f"ALTER TABLE {table_sql} ADD CONSTRAINT {self.quote(name)} {definition}"
                (keys if kind in ("p", "u") else statements).append(add)
            statements = keys + statements
        return statements

    def _run_queued_checks(self, cursor: Any) -> None:
        """PostgreSQL allows no ALTER TABLE or CREATE INDEX on a table (nor on a table its
        foreign keys refer to) while foreign key checks of its rows are queued: run them now.
        Every foreign key is deferred (as Django makes them), so deferring all again after
        leaves things as they were."""
        if self.postgres:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")

    def _delete(self, table: Table) -> None:
        """Delete the rows gone from the extract, in one statement (their ids as one JSON
        array, or a PostgreSQL array)."""
        ids = self.removed_ids.get(table.name)
        if not ids:
            return
        table_sql = self.quote(model_for(table)._meta.db_table)
        listed: list[str] | str = ids
        gone = "ssd_id = ANY(%s)"
        if not self.postgres:
            listed, gone = json.dumps(ids), "ssd_id IN (SELECT value FROM json_each(%s))"
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {table_sql} WHERE partnership_id = %s AND {gone}",  # noqa: S608
                [self.partnership_id, listed],
            )


@contextmanager
def import_settings() -> Iterator[None]:
    """A larger SQLite page cache for the import's duration (nothing to do on PostgreSQL)."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (before,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB:d}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before):d}")
