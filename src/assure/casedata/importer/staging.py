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

A first import's rows go into tables without their secondary indexes, which `build_indexes`
builds after the swap, one short write transaction each (an index only makes reading faster:
the rows are right without it). Should the import stop before that (a crash), the next import
builds what is missing first (`restore_indexes`).
"""

import os
import tempfile
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import adbc_driver_sqlite.dbapi as adbc_sqlite
import polars as pl
from django.db import connection, models, transaction
from django.db.models import Model

from assure.accounts.models import Partnership
from assure.casedata import models as casedata_models
from assure.casedata.contract import TABLES
from assure.casedata.models import ImportSnapshot, Person
from assure.ops.tempfiles import temp_dir

SCHEMA = "assure_staging"


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

    def __enter__(self) -> Self:
        connection.ensure_connection()
        self._ingest = adbc_sqlite.connect(str(self.path), autocommit=True)
        with self._ingest.cursor() as cursor:
            # Scratch data: no journal, no waiting for the disk.
            cursor.execute("PRAGMA journal_mode = OFF")
            cursor.execute("PRAGMA synchronous = OFF")
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            self._close_ingest()
            if self._raw().in_transaction:
                self._raw().execute("ROLLBACK")
            if self._attached:
                with connection.cursor() as cursor:
                    cursor.execute(f"DETACH DATABASE {SCHEMA}")
        finally:
            self.path.unlink(missing_ok=True)

    def _close_ingest(self) -> None:
        if self._ingest is not None:
            ingest, self._ingest = self._ingest, None
            ingest.close()

    @staticmethod
    def _raw() -> Any:
        connection.ensure_connection()
        return connection.connection

    def begin(self) -> None:
        """Start the read transaction staging happens in (it takes no write lock)."""
        self._raw().execute("BEGIN DEFERRED")
        self.state = _state(self.partnership)

    def commit(self) -> None:
        """End the read transaction; what was staged is complete (each batch was committed
        to the scratch file as it was staged), and is attached for the swap to copy in."""
        self._raw().execute("COMMIT")
        self._close_ingest()
        with connection.cursor() as cursor:
            cursor.execute(f"ATTACH DATABASE %s AS {SCHEMA}", [str(self.path)])
        self._attached = True

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
        """Stage rows, given a column at a time: `kind` "new" (names start with id) or
        "changed" (keyed by partnership_id and ssd_id). Dates are given as ISO text."""
        staged = f"{model._meta.db_table}__{kind}"
        self.tables.setdefault(staged, names)
        frame = pl.DataFrame(
            dict(zip(names, columns, strict=True)), schema=_polars_types(model, names)
        )
        with self._ingest.cursor() as cursor:
            cursor.adbc_ingest(staged, frame, mode="create_append")

    def staged(self, model: type[Model], kind: str) -> list[str] | None:
        """The columns staged for the table's rows of this kind, None if there are none."""
        return self.tables.get(f"{model._meta.db_table}__{kind}")

    # The swap (under the write lock).

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
        keys = {"partnership_id", "ssd_id"}
        settings = ", ".join(f"{self.quote(n)} = s.{self.quote(n)}" for n in names if n not in keys)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE main.{table} AS m SET {settings} "  # noqa: S608
                f"FROM {SCHEMA}.{staged} AS s "
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
