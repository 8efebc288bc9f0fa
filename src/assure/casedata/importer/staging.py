"""Staging an import on SQLite, so the write lock is held only for the swap.

SQLite has one writer at a time: an import writing its rows straight into the case data tables
would hold the write lock while it reads and checks the whole extract, and every other
person's save would wait. Instead `Staging` makes a scratch database (a file under
ASSURE_VAR_DIR/tmp, removed afterwards and by the temporary files' clean-up after a crash) and
the `Writer` puts there what would change: new rows (with the ids they will have), changed
rows, and the ids of rows to remove (kept in memory). Rows are staged a batch at a time, as
columns, through the SQLite ADBC driver's bulk ingest (in C, on a connection of its own to the
scratch file: no Python object per row, and cheaper than `executemany`). The case data the
comparison reads is read in one read transaction (one consistent state); no write lock is
taken. The ADBC driver has a SQLite of its own, and two SQLite libraries in one process must
never have the same file open at once (each would release the other's locks): the scratch
file is attached to Django's connection only once the driver has closed it.

`apply` then copies the changes in, under the write lock, with one statement a table;
`unchanged_since` says whether the case data is still the state the changes were worked out
from (otherwise the caller writes the extract again under the lock).

A first import (every case data table empty when staging begins: `transfer`) stages its new
rows into tables made with the case data tables' own definitions (the same columns, types and
constraints, so the same values and storage classes as an insert makes), less AUTOINCREMENT:
the ids are given, and keeping the scratch file's own record of the highest id took a
quarter of the ingest (the copy still records it for the case data table). Once a table's
rows are all staged, its copy builds the table's unique index (one id per partnership) from
the sorted ids (`staged_all`): keeping it row by row as they went in was a third of the
staging thread's time, which ends last. The swap then drops the tables' secondary indexes and
copies each table whole, `INSERT INTO main.t SELECT * FROM assure_staging.t`, which SQLite
does by its transfer optimisation (insert.c, `xferOptimization`): records and entries of the
unique index are copied as they are, not decoded, checked and encoded again; the secondary
indexes are built after the commit, as below. (Building them in the scratch file too, for
the copy to take them along, was measured: copying their entries under the lock cost as much
as the row-by-row checks saved.) SQLite copies so only with foreign key enforcement off,
which can change only outside a transaction: it is off for the swap's transaction alone
(`transferring`), and every reference of the rows copied is checked before the swap commits
(`check_copied`), so a broken one is never committed. The copies are the staged tables as they
are, into tables that were empty, so their references are checked in the scratch file, on a
connection and a thread of their own, while the swap copies: that took 0.18 s of the lock
when checked in the database after the copies. Should a table no longer be empty under the
lock, the swap is undone and done the usual way.

Otherwise (rows already stored: a re-import, another partnership's rows) new rows go into
scratch tables the driver makes, and are copied in with the foreign keys checked row by row;
into a table still empty, without its secondary indexes, which `build_indexes` builds after
the swap, one short write transaction each (an index only makes reading faster: the rows are
right without it). Should the import stop before that (a crash), the next import builds what
is missing first (`restore_indexes`).

The driver's work on the scratch file runs on one thread of its own, in the order given: the
driver releases the GIL while it works, so its ingest overlaps the checking of the next
batches. `commit` waits for it, and raises what failed there.
"""

import os
import re
import sqlite3
import tempfile
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import closing, contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import adbc_driver_sqlite.dbapi as adbc_sqlite
import polars as pl
from django.db import IntegrityError, connection, models, transaction
from django.db.models import Model

from assure.accounts.models import Partnership
from assure.casedata import models as casedata_models
from assure.casedata.contract import TABLES
from assure.casedata.models import ImportSnapshot, Person
from assure.ops.tempfiles import temp_dir

SCHEMA = "assure_staging"
# Driver jobs (a batch each) that may wait for the staging thread before `insert` waits too.
PENDING_JOBS = 32
SCRATCH_PAGE_BYTES = 16384
SCRATCH_CACHE_KIB = 64 * 1024  # its page cache: as the main connection's while importing
_TABLE_SQL = re.compile(r'CREATE TABLE "(?P<table>[^"]+)" \(')
_UNIQUE_SQL = re.compile(r'(?P<index>CREATE UNIQUE INDEX "[^"]+" ON )"(?P<table>[^"]+)" \(')


class NotTransferable(Exception):
    """Under the lock, a table a first import meant to copy whole is no longer empty."""


def can_stage() -> bool:
    """Staging helps on SQLite, and only where the import starts its own transactions."""
    return connection.vendor == "sqlite" and not connection.in_atomic_block


def _state(partnership: Partnership) -> tuple[int | None, int]:
    """What must not change between staging and the swap: the current snapshot, and the people
    (a purge removes some without a new snapshot)."""
    current = ImportSnapshot.current(partnership)
    return (
        current.pk if current is not None else None,
        Person.objects.filter(partnership=partnership).count(),
    )


class Staging:
    """A scratch database attached to the connection for one import (a context manager)."""

    def __init__(self, partnership: Partnership):
        self.partnership = partnership
        handle, name = tempfile.mkstemp(prefix="assure-staging-", suffix=".sqlite3", dir=temp_dir())
        os.close(handle)
        self.path = Path(name)
        self.quote = connection.ops.quote_name
        self.tables: dict[str, list[str]] = {}  # staged table -> the columns staged
        self.next_id: dict[str, int] = {}  # db table -> the next id to give a new row
        self.highest: dict[str, int] = {}  # db table -> its highest id when staging began
        self.state: tuple[int | None, int] | None = None
        self._ingest: Any = None  # the ADBC connection that writes the scratch file
        self._attached = False
        # A first import: new rows staged into copies of the tables, copied in whole.
        self.transfer = False
        self._copies: dict[str, list[str]] = {}  # db table -> the statements making its copy
        self._indexed: set[str] = set()  # db tables whose copy has its unique indexes
        self._thread: ThreadPoolExecutor | None = None  # the driver's work, in order
        self._jobs: deque[Future[None]] = deque()
        self._checker: ThreadPoolExecutor | None = None  # checks a first import's references
        self._broken: Future[str | None] | None = None  # what it found

    def __enter__(self) -> Self:
        connection.ensure_connection()
        self._ingest = adbc_sqlite.connect(str(self.path), autocommit=True)
        with self._ingest.cursor() as cursor:
            # Scratch data: no journal, no waiting for the disk; pages four times the usual
            # size, which ingest a tenth faster; and the main connection's import page cache,
            # as the one-id-per-partnership index takes ids in the extract's order (rows
            # shuffled: visits 1.0 s -> 0.54 s; in order: no change). The tables' references
            # name tables that are not in the scratch file: they are checked in the swap.
            cursor.execute(f"PRAGMA page_size = {SCRATCH_PAGE_BYTES:d}")
            cursor.execute("PRAGMA journal_mode = OFF")
            cursor.execute("PRAGMA synchronous = OFF")
            cursor.execute("PRAGMA foreign_keys = OFF")
            cursor.execute(f"PRAGMA cache_size = -{SCRATCH_CACHE_KIB:d}")
        self._thread = ThreadPoolExecutor(1, thread_name_prefix="assure-staging")
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            self._close_ingest()
            if self._checker is not None:
                self._checker.shutdown(wait=True, cancel_futures=True)
            if self._raw().in_transaction:
                self._raw().execute("ROLLBACK")
            if self._attached:
                with connection.cursor() as cursor:
                    cursor.execute(f"DETACH DATABASE {SCHEMA}")
        finally:
            self.path.unlink(missing_ok=True)

    def _close_ingest(self) -> None:
        if self._thread is not None:
            thread, self._thread = self._thread, None
            thread.shutdown(wait=True, cancel_futures=True)
        if self._ingest is not None:
            ingest, self._ingest = self._ingest, None
            ingest.close()

    @staticmethod
    def _raw() -> Any:
        connection.ensure_connection()
        return connection.connection

    def begin(self) -> None:
        """Start the read transaction staging happens in (it takes no write lock), and find
        whether this is a first import whose tables can be copied whole (`transfer`)."""
        self._raw().execute("BEGIN DEFERRED")
        self.state = _state(self.partnership)
        self._copies = _copyable()
        self.transfer = bool(self._copies)

    def commit(self) -> None:
        """End the read transaction; wait for the staging thread (each batch was committed
        to the scratch file as it was staged) and attach the scratch file for the swap. A
        first import's references start being checked (see `check_copied`)."""
        self._raw().execute("COMMIT")
        while self._jobs:
            self._jobs.popleft().result()  # raises what failed on the staging thread
        self._close_ingest()
        if self.transfer:
            self._checker = ThreadPoolExecutor(1, thread_name_prefix="assure-references")
            self._broken = self._checker.submit(self._broken_reference)
        with connection.cursor() as cursor:
            cursor.execute(f"ATTACH DATABASE %s AS {SCHEMA}", [str(self.path)])
        self._attached = True

    @contextmanager
    def transferring(self) -> Iterator[None]:
        """Foreign key enforcement off for the swap's transaction (begun inside), as SQLite's
        transfer optimisation needs; back on after, whatever happens."""
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA foreign_keys")
            (enforced,) = cursor.fetchone()
        if not connection.disable_constraint_checking():
            raise NotTransferable("foreign keys cannot be turned off inside a transaction")
        try:
            yield
        finally:
            if enforced:
                connection.enable_constraint_checking()

    def destinations_empty(self) -> bool:
        """Whether every table a first import copies whole is still empty (under the lock)."""
        with connection.cursor() as cursor:
            for table in self._copies:
                cursor.execute(f"SELECT EXISTS (SELECT 1 FROM main.{self.quote(table)})")  # noqa: S608
                if cursor.fetchone()[0]:
                    return False
        return True

    def unchanged_since(self) -> bool:
        """Whether the case data is as it was when staging began (call under the write lock)."""
        if _state(self.partnership) != self.state:
            return False
        with connection.cursor() as cursor:
            for table, highest in self.highest.items():
                cursor.execute(f"SELECT max(id) FROM {self.quote(table)}")  # noqa: S608
                (now,) = cursor.fetchone()
                if (now or 0) > highest:  # another partnership's rows took the ids given
                    return False
        return True

    # Staging rows (called by the `Writer`).

    def new_ids(self, model: type[Model], count: int) -> range:
        """Ids for `count` new rows of a table, after every id it had when staging began."""
        table = model._meta.db_table
        if table not in self.next_id:
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT max(id) FROM {self.quote(table)}")  # noqa: S608
                (highest,) = cursor.fetchone()
            self.highest[table] = highest or 0
            self.next_id[table] = self.highest[table] + 1
        start = self.next_id[table]
        self.next_id[table] = start + count
        return range(start, start + count)

    def insert(self, model: type[Model], kind: str, names: list[str], columns: list[Any]) -> None:
        """Stage rows, given a column at a time (lists or polars Series): `kind` "new" (names
        start with id) or "changed" (keyed by partnership_id and ssd_id). Dates are given as
        ISO text (or polars dates)."""
        table = model._meta.db_table
        staged = f"{table}__{kind}"
        mode = "create_append"
        if kind == "new" and table in self._copies:
            mode = "append"
            if staged not in self.tables:
                self._submit(self._execute, self._copies[table][:1])
        self.tables.setdefault(staged, names)
        types = _polars_types(model, names)
        frame = pl.DataFrame(
            [
                values.cast(types[name]).alias(name)
                if isinstance(values, pl.Series)
                else pl.Series(name, values, dtype=types[name])
                for name, values in zip(names, columns, strict=True)
            ]
        )
        self._submit(self._ingest_frame, staged, frame, mode)

    def staged_all(self, model: type[Model]) -> None:
        """Every new row of the table is staged: a first import's copy of it builds its
        unique indexes now, from sorted ids (a third of the time of keeping them row by
        row), as the copy whole needs them (`copy_whole`)."""
        table = model._meta.db_table
        if self.staged(model, "new") is not None and table in self._copies:
            self._submit(self._execute, self._copies[table][1:])
            self._indexed.add(table)

    def _submit(self, job: Callable[..., None], *args: Any) -> None:
        """Queue work on the scratch file for the staging thread; wait if it is far behind
        (bounding the batches held in memory), raising what failed there."""
        assert self._thread is not None
        while len(self._jobs) >= PENDING_JOBS or (self._jobs and self._jobs[0].done()):
            self._jobs.popleft().result()
        self._jobs.append(self._thread.submit(job, *args))

    def _ingest_frame(self, staged: str, frame: pl.DataFrame, mode: str) -> None:
        with self._ingest.cursor() as cursor:
            cursor.adbc_ingest(staged, frame, mode=mode)

    def _execute(self, statements: list[str]) -> None:
        with self._ingest.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

    def staged(self, model: type[Model], kind: str) -> list[str] | None:
        """The columns staged for the table's rows of this kind, None if there are none."""
        return self.tables.get(f"{model._meta.db_table}__{kind}")

    # The swap (under the write lock).

    def copy_whole(self, model: type[Model]) -> None:
        """Copy a first import's staged table into its empty case data table, records and
        index entries as they are (SQLite's transfer optimisation: the table must have only
        the indexes its copy has, and foreign keys must be off, see `transferring`, their
        references checked after, see `check_copied`)."""
        if self.staged(model, "new") is None:
            return
        table = model._meta.db_table
        if table not in self._indexed:  # SQLite would copy it row by row, slowly
            raise NotTransferable(f"{table}: staged without its unique indexes")
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO main.{self.quote(table)} "  # noqa: S608
                f"SELECT * FROM {SCHEMA}.{self.quote(table + '__new')}"
            )

    def check_copied(self) -> None:
        """Raise IntegrityError if a row copied whole refers to a row that does not exist
        (call under the lock, once every table is copied, before the transaction commits).

        Each staged table went whole into a table that was empty, and every case data table
        was empty: so a reference holds in the database if it holds in the scratch file, to a
        staged row, or, for the partnership, to this import's, which must still exist.
        """
        assert self._broken is not None, "commit() starts the check"
        broken, self._broken = self._broken.result(), None
        if broken is None and not Partnership.objects.filter(pk=self.partnership.pk).exists():
            broken = f"partnership {self.partnership.pk} no longer exists"
        if broken is not None:
            raise IntegrityError(f"A reference copied whole is broken: {broken}")

    def _broken_reference(self) -> str | None:
        """The first staged reference to no row (on the checking thread): table, row and
        value; None if every reference holds."""
        read_only = f"{self.path.resolve().as_uri()}?mode=ro"
        with closing(sqlite3.connect(read_only, uri=True)) as scratch:
            # The import's page cache: the rows referred to are looked up in the extract's
            # order. With its rows shuffled and SQLite's 2 MB, the swap waited 0.7 s for this.
            scratch.execute(f"PRAGMA cache_size = -{SCRATCH_CACHE_KIB:d}")
            for model, column, where in self._reference_checks():
                staged = self.quote(f"{model._meta.db_table}__new")
                found = scratch.execute(
                    f"SELECT id, {column} FROM {staged} AS c WHERE {where} LIMIT 1"  # noqa: S608
                ).fetchone()
                if found is not None:
                    return f"{model._meta.db_table} id {found[0]} has {column} {found[1]!r}"
        return None

    def _reference_checks(self) -> Iterator[tuple[type[Model], str, str]]:
        """For each reference of each staged table: its model, the column (quoted), and a
        condition true of the rows that refer to no row."""
        quote = self.quote
        case_models = casedata_indexed_models()
        for model in case_models:
            if self.staged(model, "new") is None:
                continue
            for field in model._meta.concrete_fields:
                if not isinstance(field, models.ForeignKey):
                    continue
                column = quote(field.column)
                parent: Any = field.related_model
                if parent is Partnership:
                    where = f"{column} IS NOT {int(self.partnership.pk):d}"
                elif parent not in case_models:
                    raise TypeError(f"{model.__name__} refers to {parent.__name__}: not checked")
                elif self.staged(parent, "new") is None:  # its table stays empty
                    where = f"{column} IS NOT NULL"
                else:
                    rows = quote(f"{parent._meta.db_table}__new")
                    key = quote(str(field.target_field.column))
                    row = f"SELECT 1 FROM {rows} AS p WHERE p.{key} = c.{column}"  # noqa: S608
                    where = f"{column} IS NOT NULL AND NOT EXISTS ({row})"
                yield model, column, where

    def check_references(self, tables: list[str]) -> None:
        """Raise IntegrityError if a row of these tables refers to a row that does not exist
        (written while foreign keys were off: call before the transaction commits)."""
        connection.check_constraints(table_names=tables)

    def copy_new(self, model: type[Model]) -> None:
        names = self.staged(model, "new")
        if names is None:
            return
        columns = ", ".join(map(self.quote, names))
        table = self.quote(model._meta.db_table)
        staged = self.quote(f"{model._meta.db_table}__new")
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO main.{table} ({columns}) "  # noqa: S608
                f"SELECT {columns} FROM {SCHEMA}.{staged}"  # staged in order of id
            )

    def copy_changed(self, model: type[Model]) -> None:
        names = self.staged(model, "changed")
        if names is None:
            return
        table = self.quote(model._meta.db_table)
        staged = self.quote(f"{model._meta.db_table}__changed")
        update_from(f"main.{table}", f"{SCHEMA}.{staged}", names)


def update_from(table: str, changed: str, names: list[str]) -> None:
    """Update the rows of `table` from those of `changed` (both quoted), matched by
    partnership_id and ssd_id: every other column of `names` is set (both databases)."""
    quote = connection.ops.quote_name
    keys = {"partnership_id", "ssd_id"}
    settings = ", ".join(f"{quote(n)} = s.{quote(n)}" for n in names if n not in keys)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} AS m SET {settings} FROM {changed} AS s "  # noqa: S608
            "WHERE m.partnership_id = s.partnership_id AND m.ssd_id = s.ssd_id"
        )


def _polars_types(model: type[Model], names: list[str]) -> dict[str, Any]:
    """The polars type of each staged column: as SQLite stores the model's field."""
    fields = {f.column: f for f in model._meta.concrete_fields}
    types: dict[str, Any] = {}
    for name in names:
        field = fields[name]
        if isinstance(field, models.BooleanField):
            types[name] = pl.Boolean
        elif isinstance(field, (models.IntegerField, models.ForeignKey)):
            types[name] = pl.Int64
        else:  # text, and dates as ISO text
            types[name] = pl.String
    return types


def _copyable() -> dict[str, list[str]]:
    """If every case data table is empty, with no triggers and definitions as Django makes
    them: each table's name and the statements that make its staged copy (`_copy_of`).
    Otherwise nothing (the usual way)."""
    copies: dict[str, list[str]] = {}
    with connection.cursor() as cursor:
        for model in casedata_indexed_models():
            table = model._meta.db_table
            statements = _copy_of(cursor, table)
            if statements is None:
                return {}
            copies[table] = statements
    return copies


def _copy_of(cursor: Any, table: str) -> list[str] | None:
    """The statements that make an empty table's staged copy, `<table>__new`: its own
    definition less AUTOINCREMENT, then its unique indexes (which the copy whole needs,
    built once the rows are staged: `staged_all`). None if the table has rows or triggers,
    or a definition not as Django makes them."""
    cursor.execute(f"SELECT EXISTS (SELECT 1 FROM main.{connection.ops.quote_name(table)})")  # noqa: S608
    if cursor.fetchone()[0]:
        return None
    cursor.execute(
        "SELECT type, sql FROM main.sqlite_master WHERE tbl_name = %s "
        "AND (type IN ('table', 'trigger') OR sql LIKE 'CREATE UNIQUE INDEX %%') "
        "ORDER BY type = 'index'",
        [table],
    )
    statements: list[str] = []
    for kind, sql in cursor.fetchall():
        pattern = _UNIQUE_SQL if kind == "index" else _TABLE_SQL
        found = pattern.match(sql)
        if kind == "trigger" or found is None or found["table"] != table:
            return None
        if kind == "table":
            definition = sql[found.end() :].replace(" AUTOINCREMENT", "", 1)
            statements.append(f'CREATE TABLE "{table}__new" (' + definition)
        elif statements:  # the table's definition comes first
            statements.append(f'{found["index"]}"{table}__new" (' + sql[found.end() :])
    return statements or None


def build_indexes(statements: list[str]) -> None:
    """Build indexes dropped for a first import, each in a write transaction of its own, so
    that other people's writes wait for one index at most."""
    for statement in statements:
        idempotent = "CREATE INDEX IF NOT EXISTS " + statement[len("CREATE INDEX ") :]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(idempotent)


def restore_indexes() -> None:
    """Build the case data tables' indexes that are missing (an import stopped between its
    swap and `build_indexes`), as the models declare them."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
        present = {name for (name,) in cursor.fetchall()}
    editor: Any = connection.schema_editor()  # its index statements, from the models
    for model in casedata_indexed_models():
        for statement in editor._model_indexes_sql(model):
            if str(statement.parts["name"]).strip('"') not in present:
                build_indexes([str(statement)])


def casedata_indexed_models() -> list[type[Model]]:
    """The models of the case data tables (those an import writes)."""
    return [getattr(casedata_models, t.model) for t in TABLES if t.model and not t.merge_into]
