"""Writing a validated extract over the previous one: add new rows, update changed, delete gone.

Each row's fingerprint (`row_hash`, a hash of its stored values) is compared with the stored
one, keyed by the case system's id, one table at a time: unchanged rows are not touched.
Rows are written with batched parameterised statements rather than model instances, so an
import of millions of rows holds one table's fingerprints in memory, never its rows.
Must run inside a transaction (see `run.import_tables`).
"""

import hashlib
from dataclasses import dataclass, field
from datetime import date
from itertools import repeat

from django.db import connection
from django.db.models import Model

from assure.casedata import models as casedata_models
from assure.casedata.importer.contract import TABLES, Kind, Table
from assure.casedata.importer.validation import Columns, Progress, TableLayout

# Change when what is stored for a row changes, so that the next import rewrites every row.
CONTRACT_VERSION = "1"
BATCH = 2000
DELETE_BATCH = 500  # ids per DELETE statement, well inside SQLite's 999 variables


def row_hash(text: str) -> int:
    """A stable 64-bit fingerprint of a row's text."""
    digest = hashlib.blake2b(
        text.encode(), digest_size=8, person=CONTRACT_VERSION.encode()
    ).digest()
    return int.from_bytes(digest, "big", signed=True)


def _column(model: type[Model], name: str | None) -> str:
    field = model._meta.get_field(name or "")
    column = getattr(field, "column", None)
    assert isinstance(column, str)
    return column


def model_for(table: Table) -> type[Model]:
    model: type[Model] = getattr(casedata_models, table.model)
    return model


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
class Writer:
    partnership_id: int
    layouts: dict[str, TableLayout]
    row_counts: dict[str, int]
    progress: Progress | None = None
    changes: dict[str, TableChanges] = field(default_factory=dict)
    pk_maps: dict[str, dict[str, int]] = field(default_factory=dict)
    removed_ids: dict[str, list[str]] = field(default_factory=dict)
    converters: Columns = field(default_factory=Columns)

    def run(self) -> dict[str, TableChanges]:
        filing = self._filing()
        for table in TABLES:
            if table.merge_into:
                if table.name in self.layouts:
                    self.changes[table.name] = TableChanges(rows=self.row_counts[table.name])
                continue
            if table.name in self.layouts:
                self._write(table, filing if table.name == "ssd_pre_proceedings" else None)
            else:
                self._forget(table)
        for table in reversed(TABLES):
            if table.model:
                self._delete(table)
        return self.changes

    def _filing(self) -> dict[str, tuple[date | None, date | None]]:
        """Filing dates from assure_plo_filing, by pre-proceedings id (a few per child)."""
        found = self.layouts.get("assure_plo_filing")
        if found is None:
            return {}
        filing: dict[str, tuple[date | None, date | None]] = {}
        for batch in found.batches(self.converters):
            filing.update(
                zip(
                    batch.values[0], zip(batch.values[1], batch.values[2], strict=True), strict=True
                )
            )
        return filing

    def _forget(self, table: Table) -> None:
        """A table missing from this extract is unknown: the previous extract's rows go."""
        model = model_for(table)
        stored = model.objects.filter(partnership_id=self.partnership_id)  # type: ignore[attr-defined]
        self.removed_ids[table.name] = list(stored.values_list("ssd_id", flat=True))
        self.changes[table.name] = TableChanges(removed=len(self.removed_ids[table.name]))

    def _write(
        self, table: Table, filing: dict[str, tuple[date | None, date | None]] | None
    ) -> None:
        model = model_for(table)
        meta = model._meta
        quote = connection.ops.quote_name
        stored_columns = [
            (i, c) for i, c in enumerate(table.columns) if c.field and c.kind != Kind.ID
        ]
        id_at = next(i for i, c in enumerate(table.columns) if c.kind == Kind.ID)
        db_columns = [_column(model, c.field) for _, c in stored_columns]
        if filing is not None:
            db_columns += ["letter_filed_date", "meeting_filed_date"]
        ref_maps: list[tuple[int, dict[str, int] | None]] = [
            (i, self.pk_maps.get(c.ref, {}) if c.kind == Kind.REF else None)
            for i, c in stored_columns
        ]
        table_sql = quote(meta.db_table)
        # Table and column names come from the models, never from the extract.
        insert_sql = (
            f"INSERT INTO {table_sql} (partnership_id, ssd_id, row_hash, "  # noqa: S608
            + ", ".join(quote(c) for c in db_columns)
            + ") VALUES ("
            + ", ".join(["%s"] * (len(db_columns) + 3))
            + ")"
        )
        update_sql = (
            f"UPDATE {table_sql} SET row_hash = %s, "  # noqa: S608
            + ", ".join(f"{quote(c)} = %s" for c in db_columns)
            + " WHERE partnership_id = %s AND ssd_id = %s"
        )
        stored: dict[str, int] = dict(
            model.objects.filter(partnership_id=self.partnership_id)  # type: ignore[attr-defined]
            .values_list("ssd_id", "row_hash")
            .iterator(chunk_size=BATCH)
        )
        changes = TableChanges(rows=self.row_counts[table.name])
        partnership_id = self.partnership_id
        hashed_at = [id_at] + [i for i, _ in stored_columns]
        presence = {i for i, c in enumerate(table.columns) if c.kind == Kind.PRESENCE}
        with connection.cursor() as cursor:
            for batch in self.layouts[table.name].batches(self.converters):
                if self.progress:
                    self.progress("Writing", table.name, len(batch.lines), changes.rows)
                ssd_ids = batch.values[id_at]
                # The fingerprint is of the text read (never of free text, only its presence).
                hashed = [
                    ["1" if v else "" for v in batch.raw[i]] if i in presence else batch.raw[i]
                    for i in hashed_at
                ]
                columns = [
                    list(map(mapping.get, batch.values[i]))
                    if mapping is not None
                    else batch.values[i]
                    for i, mapping in ref_maps
                ]
                if filing is not None:
                    dates = [filing.get(i, (None, None)) for i in ssd_ids]
                    columns += [[d[0] for d in dates], [d[1] for d in dates]]
                    hashed += [
                        [d[0].isoformat() if d[0] else "" for d in dates],
                        [d[1].isoformat() if d[1] else "" for d in dates],
                    ]
                fingerprints = list(map(row_hash, map("\x1f".join, zip(*hashed, strict=True))))
                previous = list(map(stored.pop, ssd_ids, repeat(None)))
                rows = list(zip(*columns, strict=True)) if columns else [()] * len(ssd_ids)
                inserts = [
                    (partnership_id, ssd_ids[i], f, *rows[i])
                    for i, (f, p) in enumerate(zip(fingerprints, previous, strict=True))
                    if p is None
                ]
                updates = [
                    (f, *rows[i], partnership_id, ssd_ids[i])
                    for i, (f, p) in enumerate(zip(fingerprints, previous, strict=True))
                    if p is not None and p != f
                ]
                if inserts:
                    cursor.executemany(insert_sql, inserts)
                    changes.added += len(inserts)
                if updates:
                    cursor.executemany(update_sql, updates)
                    changes.changed += len(updates)
        self.removed_ids[table.name] = list(stored)
        changes.removed = len(stored)
        self.changes[table.name] = changes
        if any(c.ref == table.name and c.kind == Kind.REF for t in TABLES for c in t.columns):
            self.pk_maps[table.name] = dict(
                model.objects.filter(partnership_id=self.partnership_id)  # type: ignore[attr-defined]
                .values_list("ssd_id", "pk")
                .iterator(chunk_size=BATCH)
            )

    def _delete(self, table: Table) -> None:
        ids = self.removed_ids.get(table.name)
        if not ids:
            return
        table_sql = connection.ops.quote_name(model_for(table)._meta.db_table)
        with connection.cursor() as cursor:
            for start in range(0, len(ids), DELETE_BATCH):
                batch = ids[start : start + DELETE_BATCH]
                cursor.execute(
                    f"DELETE FROM {table_sql} WHERE partnership_id = %s AND ssd_id IN ("  # noqa: S608
                    + ", ".join(["%s"] * len(batch))
                    + ")",
                    [self.partnership_id, *batch],
                )


def write(
    partnership_id: int,
    layouts: dict[str, TableLayout],
    row_counts: dict[str, int],
    progress: Progress | None = None,
) -> dict[str, TableChanges]:
    return Writer(partnership_id, layouts, row_counts, progress).run()
