"""Validating an extract in one streaming pass per table, before anything is written.

Only what later tables need is kept in memory: the ids of tables other tables refer to, the
meeting ids chairs refer to and the few dates the order checks compare against.
"""

import csv
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import repeat
from typing import Any, Protocol

import polars as pl

from assure.casedata.contract import (
    MEETING_SOURCES,
    TABLES,
    Column,
    CrossOrder,
    Kind,
    Order,
    Table,
)
from assure.casedata.importer.reading import FLAG_VALUES, TableSource, WholeFile, parse_date

MAX_PROBLEMS = 200
MAX_VALUE_SHOWN = 60

# progress(phase, table, rows, total), after each batch. It must not use the database: on
# PostgreSQL the import's connection is busy with a table's COPY (it would wait forever).
Progress = Callable[[str, str, int, int | None], None]


@dataclass(frozen=True)
class Problem:
    """Something wrong with the extract: where it is, what was found and what was expected."""

    file: str
    row: int | None  # the line in the file (the header is line 1); None: the whole file
    column: str
    value: str
    expected: str

    def __str__(self) -> str:
        where = ", ".join(
            part
            for part in (
                self.file,
                f"row {self.row}" if self.row is not None else "",
                f"column {self.column}" if self.column else "",
            )
            if part
        )
        found = f": found {self.value!r}" if self.value else ""
        return f"{where}{found}; expected {self.expected}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "expected": self.expected,
        }


@dataclass
class Problems:
    """The first `limit` problems, and how many there were in all."""

    limit: int = MAX_PROBLEMS
    items: list[Problem] = field(default_factory=list)
    total: int = 0

    def add(self, file: str, row: int | None, column: str, value: str, expected: str) -> None:
        self.total += 1
        if len(self.items) < self.limit:
            if len(value) > MAX_VALUE_SHOWN:
                value = value[: MAX_VALUE_SHOWN - 1] + "…"
            self.items.append(Problem(file, row, column, value, expected))

    @property
    def more(self) -> int:
        return self.total - len(self.items)

    def __bool__(self) -> bool:
        return self.total > 0


BAD: Any = object()  # a value that could not be converted
BATCH_ROWS = 16384


class Columns:
    """Converts whole columns of stripped text at a time, remembering dates already parsed.

    Working a column at a time keeps the per-value work in C (`map`, `set`, dict look-ups):
    an extract has few distinct dates and codes, however many rows it has.
    """

    def __init__(self) -> None:
        self.shortened: dict[str, int] = {}  # text values cut to the column's length, by column
        self.dates: dict[str, Any] = {"": None}
        self.months: dict[str, Any] = {"": None}
        self.flags: dict[str, Any] = {"": None}
        for text, value in FLAG_VALUES.items():
            for variant in (text, text.upper(), text.capitalize()):
                self.flags[variant] = value

    def _dates(self, raw: list[str], cache: dict[str, Any], month: bool) -> list[Any]:
        for text in set(raw).difference(cache):
            try:
                value = parse_date(text)
                cache[text] = value.replace(day=1) if month else value
            except ValueError:
                cache[text] = BAD
        return list(map(cache.__getitem__, raw))

    def convert(self, column: Column, raw: list[str]) -> list[Any]:
        """The stored values (BAD where a value is invalid; empty text is unknown)."""
        limit = column.max_length
        match column.kind:
            case Kind.DATE:
                return self._dates(raw, self.dates, month=False)
            case Kind.MONTH:
                return self._dates(raw, self.months, month=True)
            case Kind.FLAG:
                flags = self.flags
                values = list(map(flags.get, raw, repeat(BAD)))
                if BAD in values:
                    values = [
                        FLAG_VALUES.get(t.lower(), BAD) if v is BAD else v
                        for t, v in zip(raw, values, strict=True)
                    ]
                return values
            case Kind.PRESENCE:
                return list(map(bool, raw))
            case Kind.TEXT:
                if raw and max(map(len, raw)) > limit:
                    cut = sum(len(t) > limit for t in raw)
                    self.shortened[column.name] = self.shortened.get(column.name, 0) + cut
                    return [t[:limit] for t in raw]
                return raw
            case Kind.CODE if column.choices:
                canonical = {c.lower(): c for c in column.choices} | {"": ""}
                return list(map(canonical.get, map(str.lower, raw), repeat(BAD)))
            case _:
                if raw and max(map(len, raw)) > limit:
                    return [BAD if len(t) > limit else t for t in raw]
                return raw


def _fill(column: Column, values: list[Any]) -> list[Any]:
    """Values with BAD replaced by unknown (for rows already reported)."""
    empty: Any = (
        "" if column.kind in (Kind.ID, Kind.REF, Kind.SOFT_REF, Kind.CODE, Kind.TEXT) else None
    )
    return [empty if v is BAD else v for v in values]


@dataclass
class Batch:
    """Some rows of a table, a column at a time."""

    lines: Sequence[int]
    raw: list[list[str]]  # stripped text, for each contract column ("" where absent)
    values: list[list[Any]]  # converted, for each contract column


class ReadError(Exception):
    """The file could not be read part-way through: the line, what was expected, and what
    was found there (if it can be shown)."""

    def __init__(self, line: int, message: str, found: str = ""):
        super().__init__(message)
        self.line = line
        self.found = found


@dataclass
class TableLayout:
    """Where a table's contract columns are in its file, and what else the file had."""

    table: Table
    source: TableSource
    positions: list[int]  # for each contract column, its index in the file; -1 if absent
    width: int
    dropped: list[str]

    def batches(self, columns: Columns) -> Iterator[Batch]:
        """The rows in batches, stripped and converted (ReadError if the file is unreadable)."""
        nul = self.source.nul_line()
        if nul is not None:
            raise ReadError(nul, "text without NUL characters")
        whole = self.source.frame()
        self.source.release()  # read once: its batches are all that is kept
        if whole is not None and whole.rows.width == self.width:
            yield from self._column_batches(columns, *self._whole_columns(whole))
            return
        line = 1
        reading = self.source.batches(BATCH_ROWS)
        while True:
            try:
                found = next(reading, None)
            except UnicodeDecodeError:
                at = self.source.bad_text_line() or line + 1
                raise ReadError(at, "text in UTF-8") from None
            except csv.Error as error:
                at = self.source.bad_csv_line() or line + 1
                raise ReadError(at, f"well-formed CSV ({error})") from None
            if found is None:
                return
            lines, rows = found
            if lines:
                line = lines[-1]
                yield self._batch(columns, lines, rows)

    def _whole_columns(self, whole: WholeFile) -> tuple[Sequence[int], list[pl.Series]]:
        """Each contract column stripped, with each row's line, blank lines left out."""
        frame, blank = whole
        if blank.any():
            frame = frame.filter(~blank)
            lines: Sequence[int] = (blank.not_().arg_true() + 2).to_list()
        else:
            lines = range(2, frame.height + 2)
        stripped = [
            frame.to_series(p).str.strip_chars()
            if p >= 0
            else pl.repeat("", frame.height, eager=True)
            for p in self.positions
        ]
        return lines, stripped

    def _column_batches(
        self, columns: Columns, lines: Sequence[int], stripped: list[pl.Series]
    ) -> Iterator[Batch]:
        for start in range(0, len(lines), BATCH_ROWS):
            raw = [s.slice(start, BATCH_ROWS).to_list() for s in stripped]
            values = [columns.convert(c, r) for c, r in zip(self.table.columns, raw, strict=True)]
            yield Batch(lines[start : start + BATCH_ROWS], raw, values)

    def _batch(self, columns: Columns, lines: Sequence[int], rows: list[list[str]]) -> Batch:
        width = self.width
        if set(map(len, rows)) != {width}:
            self._check_widths(lines, rows)
        by_column = list(zip(*rows, strict=False))
        raw = [
            list(map(str.strip, by_column[p])) if p >= 0 else [""] * len(rows)
            for p in self.positions
        ]
        values = [columns.convert(c, r) for c, r in zip(self.table.columns, raw, strict=True)]
        return Batch(lines, raw, values)

    def _check_widths(self, lines: Sequence[int], rows: list[list[str]]) -> None:
        """Every row has one value for each column of the header: a row with more or fewer is
        misaligned (which value belongs to which column cannot be known), so is not read."""
        width = self.width
        for line, row in zip(lines, rows, strict=True):
            if len(row) != width:
                raise ReadError(
                    line,
                    f"{width} values, one for each column of the header "
                    "(a value holding a comma must be in double quotes)",
                    f"{len(row)} values",
                )


def layout(table: Table, source: TableSource, problems: Problems) -> TableLayout | None:
    """Match the header to the contract; None (with problems) if the file cannot be read."""
    try:
        header = [name.lower() for name in source.header]
    except UnicodeDecodeError:
        problems.add(table.file_name, source.bad_text_line(), "", "", "a CSV file in UTF-8")
        return None
    except OSError as error:
        problems.add(table.file_name, None, "", "", f"a readable file ({error.strerror})")
        return None
    if not header:
        problems.add(table.file_name, 1, "", "", "a header row naming the columns")
        return None
    ok = True
    seen: set[str] = set()
    for name in header:
        if name in seen and name in table.column_names:
            problems.add(table.file_name, 1, name, name, "each column named once")
            ok = False
        seen.add(name)
    positions = []
    for column in table.columns:
        position = header.index(column.name) if column.name in header else -1
        if position < 0 and column.required:
            problems.add(table.file_name, 1, column.name, "", f"a column named {column.name}")
            ok = False
        positions.append(position)
    if not ok:
        return None
    dropped = [name for name in source.header if name.lower() not in table.column_names]
    return TableLayout(table, source, positions, len(header), dropped)


# Tables whose ids other tables refer to.
REFERENCED = {c.ref for t in TABLES for c in t.columns if c.ref} | {t for t, _ in MEETING_SOURCES}
# (table, column) dates that other tables' order checks compare against.
NEEDED_DATES = {(o.other_table, o.other_column) for t in TABLES for o in t.cross_orders}


class Sink(Protocol):
    """Takes each table's rows as they are checked (see `writing.Writer`), until a problem."""

    def absent(self, table: Table) -> None: ...
    def begin(self, found: "TableLayout") -> None: ...
    def write(self, table: Table, batch: Batch) -> None: ...
    def end(self, table: Table, rows: int) -> None: ...


@dataclass
class ValidationResult:
    problems: Problems
    layouts: dict[str, TableLayout]
    row_counts: dict[str, int]
    shortened: dict[str, int]  # see Columns.shortened


class Validator:
    """Checks every table in contract order.

    With a `sink`, each batch of rows is handed on once checked, for as long as no problem
    has been found, so that an extract is read once: checked and written in the same pass.
    Whoever gives a sink must undo what it wrote if problems are found (a transaction).
    """

    def __init__(
        self,
        sources: dict[str, TableSource],
        progress: Progress | None = None,
        sink: Sink | None = None,
    ):
        self.sources = sources
        self.progress = progress
        self.sink = sink
        self.phase = "Importing" if sink is not None else "Checking"
        self.problems = Problems()
        # None: the table was given but could not be read, so references to it are not checked
        self.ids: dict[str, set[str] | None] = {}
        self.meetings: set[str] = set()
        self.dates: dict[tuple[str, str], dict[str, date]] = {}
        self.deferred: list[tuple[Table, Column, int, str]] = []
        self.layouts: dict[str, TableLayout] = {}
        self.converters = Columns()
        self.reported_missing: set[tuple[str, str]] = set()
        self.row_counts: dict[str, int] = {}

    def run(self) -> ValidationResult:
        for table in TABLES:
            source = self.sources.get(table.name)
            if source is None:
                if table.required_file:
                    self.problems.add(
                        table.file_name, None, "", "", f"a file named {table.file_name}"
                    )
                    self.ids[table.name] = None
                if self.sink is not None and not self.problems:
                    self.sink.absent(table)
                continue
            found = layout(table, source, self.problems)
            if found is None:
                self.ids[table.name] = None
                continue
            self.layouts[table.name] = found
            self._rows(found)
        self._check_deferred()
        return ValidationResult(
            self.problems, self.layouts, self.row_counts, self.converters.shortened
        )

    def _check_deferred(self) -> None:
        for table, column, line, value in self.deferred:
            known = self.ids.get(column.ref)
            if known is not None and value not in known:
                self.problems.add(
                    table.file_name,
                    line,
                    column.name,
                    value,
                    f"the id of a row in {column.ref}.csv",
                )

    def _references(self, table: Table) -> list[tuple[int, Column, set[str] | None, str]]:
        """For each column that refers to another table: what it is checked against."""
        checks: list[tuple[int, Column, set[str] | None, str]] = []
        for i, column in enumerate(table.columns):
            if column.kind == Kind.REF or (column.kind == Kind.ID and column.ref):
                if column.ref in self.sources:
                    checks.append((i, column, self.ids.get(column.ref), "ref"))
                else:
                    checks.append((i, column, None, "missing"))
            elif column.kind == Kind.SOFT_REF and column.ref:
                checks.append((i, column, None, "deferred"))
        if table.name == "assure_conference_chairs":
            present = [t for t, _ in MEETING_SOURCES if t in self.sources]
            broken = any(self.ids.get(t, set()) is None for t in present)
            if present and not broken:
                checks.append((0, table.columns[0], self.meetings, "meeting"))
        return checks

    def _rows(self, found: TableLayout) -> None:
        table, file = found.table, found.table.file_name
        columns = table.columns
        index = {c.name: n for n, c in enumerate(columns)}
        id_at = index[table.id_column.name]
        ids: set[str] = set()
        references = self._references(table)
        orders = [(index[o.later], index[o.earlier], o) for o in table.orders]
        cross = [
            (
                index[o.column],
                index[o.ref_column],
                self.dates.get((o.other_table, o.other_column)),
                o,
            )
            for o in table.cross_orders
        ]
        keep_dates: list[tuple[int, dict[str, date]]] = [
            (index[c], {}) for (t, c) in NEEDED_DATES if t == table.name
        ]
        meeting_at = [index[c] for t, c in MEETING_SOURCES if t == table.name]
        count = 0
        sink = self.sink if not self.problems else None
        if sink is not None:
            sink.begin(found)
        try:
            for batch in found.batches(self.converters):
                count += len(batch.lines)
                if self.progress:
                    self.progress(self.phase, table.name, len(batch.lines), None)
                self._batch(table, batch, id_at, ids, references, orders, cross)
                if sink is not None:
                    if self.problems:
                        sink = None
                    else:
                        sink.write(table, batch)
                for at, kept in keep_dates:
                    kept.update(
                        (k, v)
                        for k, v in zip(batch.values[id_at], batch.values[at], strict=True)
                        if v is not None and v is not BAD
                    )
                for at in meeting_at:
                    self.meetings.update(batch.values[at])
        except ReadError as error:
            self.problems.add(file, error.line, "", error.found, str(error))
            self.ids[table.name] = None
            return
        self.meetings.discard("")
        self.row_counts[table.name] = count
        if table.required_file and not count:
            # An empty export would otherwise remove every child's records.
            self.problems.add(file, None, "", "", "at least one row after the header")
            return
        if sink is not None:
            sink.end(table, count)
        if table.name in REFERENCED:
            ids.discard("")
            self.ids[table.name] = ids
        for at, kept in keep_dates:
            column = columns[at].name
            self.dates[(table.name, column)] = kept

    def _batch(
        self,
        table: Table,
        batch: Batch,
        id_at: int,
        ids: set[str],
        references: list[tuple[int, Column, set[str] | None, str]],
        orders: list[tuple[int, int, Order]],
        cross: list[tuple[int, int, dict[str, date] | None, CrossOrder]],
    ) -> None:
        add, file, lines = self.problems.add, table.file_name, batch.lines
        bad_rows: set[int] = set()
        for column, raw, values in zip(table.columns, batch.raw, batch.values, strict=True):
            if column.required and "" in raw:
                for i, text in enumerate(raw):
                    if not text:
                        add(file, lines[i], column.name, "", "a value (this column is required)")
                        bad_rows.add(i)
            if BAD in values:
                for i, value in enumerate(values):
                    if value is BAD:
                        add(file, lines[i], column.name, raw[i], column.expected)
                        bad_rows.add(i)
        if bad_rows:
            batch.values = [_fill(c, v) for c, v in zip(table.columns, batch.values, strict=True)]
        values = batch.values
        row_ids = values[id_at]
        unique = set(row_ids)
        if len(unique) != len(row_ids) or not ids.isdisjoint(unique):
            for i, row_id in enumerate(row_ids):
                if row_id and row_id in ids:
                    add(
                        file,
                        lines[i],
                        table.id_column.name,
                        row_id,
                        "an id not used by an earlier row",
                    )
                ids.add(row_id)
        else:
            ids |= unique
        for at, column, known, how in references:
            column_values = values[at]
            if how == "missing":
                if any(column_values) and (table.name, column.name) not in self.reported_missing:
                    self.reported_missing.add((table.name, column.name))
                    add(
                        file,
                        None,
                        column.name,
                        "",
                        f"a file {column.ref}.csv, which this column refers to",
                    )
                continue
            if how == "deferred":
                self.deferred.extend(
                    (table, column, lines[i], v) for i, v in enumerate(column_values) if v
                )
                continue
            if known is None:
                continue
            unknown = set(column_values).difference(known)
            unknown.discard("")
            if unknown:
                expected = (
                    "the meeting id of an ICPC or review conference"
                    if how == "meeting"
                    else f"the id of a row in {column.ref}.csv"
                )
                for i, value in enumerate(column_values):
                    if value in unknown:
                        add(file, lines[i], column.name, value, expected)
        for later, earlier, order in orders:
            for i, (a, b) in enumerate(zip(values[later], values[earlier], strict=True)):
                if a is not None and b is not None and a < b and i not in bad_rows:
                    add(
                        file,
                        lines[i],
                        order.later,
                        a.isoformat(),
                        f"a date on or after {order.earlier} ({b.isoformat()}): "
                        f"{order.message.lower()}",
                    )
        for at, ref_at, known_dates, cross_order in cross:
            if known_dates is None:
                continue
            for i, (value, ref) in enumerate(zip(values[at], values[ref_at], strict=True)):
                if value is None or not ref or i in bad_rows:
                    continue
                other = known_dates.get(ref)
                if other is not None and value < other:
                    add(
                        file,
                        lines[i],
                        cross_order.column,
                        value.isoformat(),
                        f"a date on or after {other.isoformat()} "
                        f"({cross_order.other_column} of {ref}): {cross_order.message.lower()}",
                    )


def validate(
    sources: dict[str, TableSource], progress: Progress | None = None, sink: Sink | None = None
) -> ValidationResult:
    return Validator(sources, progress, sink).run()
