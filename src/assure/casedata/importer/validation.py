"""Validating an extract in one pass per table, before anything is written.

Each table is checked a whole column at a time with polars (converted, and its failing rows
found as masks); Python looks only at the rows with a problem, to describe each. Only what
later tables need is kept once a table is checked: the ids of tables other tables refer to,
the meeting ids chairs refer to and the few dates the order checks compare against.
"""

import csv
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import polars as pl

from assure.casedata.contract import (
    MEETING_SOURCES,
    TABLES,
    Column,
    Kind,
    Table,
)
from assure.casedata.importer.reading import FLAG_VALUES, TableSource, WholeFile, parse_dates

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
    def room(self) -> int:
        """How many more problems are kept (beyond them, they are only counted)."""
        return self.limit - len(self.items)

    def add_rows(
        self,
        file: str,
        lines: list[int],
        column: str,
        values: list[str],
        expected: str | list[str],
        count: int,
    ) -> None:
        """`count` problems in one column, of which the first few are given (as many as are
        kept): their lines, values found and what was expected (one for all, or each's)."""
        each = [expected] * len(lines) if isinstance(expected, str) else expected
        for line, value, wanted in zip(lines, values, each, strict=True):
            self.add(file, line, column, value, wanted)
        self.total += count - len(lines)

    @property
    def more(self) -> int:
        return self.total - len(self.items)

    def __bool__(self) -> bool:
        return self.total > 0


BATCH_ROWS = 16384  # rows a batch when a file is read row by row (not whole, by polars)


def _text(values: Sequence[str]) -> pl.Series:
    return pl.Series(values, dtype=pl.String)


class Columns:
    """Converts whole columns of stripped text at once, with polars expressions.

    `convert` gives the stored values and which could not be converted; the values of those
    are already unknown (null, or empty text), as is everything left empty.
    """

    def __init__(self) -> None:
        self.shortened: dict[str, int] = {}  # text values cut to the column's length, by column

    def convert(self, column: Column, raw: pl.Series) -> tuple[pl.Series, pl.Series | None]:
        """The stored values, and a mask of those that are invalid (None when none are)."""
        limit = column.max_length
        given = raw != ""
        match column.kind:
            case Kind.DATE | Kind.MONTH:
                values = parse_dates(raw)
                if column.kind == Kind.MONTH:
                    values = values.dt.month_start()
                return values, _mask(given & values.is_null())
            case Kind.FLAG:
                values = raw.str.to_lowercase().replace_strict(
                    FLAG_VALUES, default=None, return_dtype=pl.Boolean
                )
                return values, _mask(given & values.is_null())
            case Kind.PRESENCE:
                return given, None
            case Kind.TEXT:
                cut = int((raw.str.len_chars() > limit).sum())
                if cut:
                    self.shortened[column.name] = self.shortened.get(column.name, 0) + cut
                    return raw.str.slice(0, limit), None
                return raw, None
            case Kind.CODE if column.choices:
                canonical = {c.lower(): c for c in column.choices} | {"": ""}
                values = raw.str.to_lowercase().replace_strict(
                    canonical, default=None, return_dtype=pl.String
                )
                bad = _mask(values.is_null())
                return (values.fill_null("") if bad is not None else values), bad
            case _:
                bad = _mask(raw.str.len_chars() > limit)
                if bad is None:
                    return raw, None
                return pl.select(pl.when(bad).then(pl.lit("")).otherwise(raw)).to_series(), bad


def _iso(dates: pl.Series) -> pl.Series:
    return dates.dt.to_string("%Y-%m-%d")


def _texts(*parts: str | pl.Series) -> pl.Series:
    """Each row's text, joined from fixed text and columns."""
    return pl.select(pl.concat_str([pl.lit(p) for p in parts])).to_series()


def _mask(rows: pl.Series) -> pl.Series | None:
    """The mask, or None if it selects no row."""
    return rows if rows.any() else None


@dataclass
class Batch:
    """Some rows of a table (a whole table, when polars could read it), a column at a time."""

    lines: pl.Series  # the line each row ends on in its file
    raw: list[pl.Series]  # stripped text, for each contract column ("" where absent)
    values: list[pl.Series]  # converted, for each contract column (unknown where invalid)
    bad: list[pl.Series | None]  # for each contract column, which values were invalid

    def __len__(self) -> int:
        return len(self.lines)


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
        """The rows stripped and converted (ReadError if the file is unreadable): the whole
        table in one batch when polars can read it, else in batches read row by row."""
        nul = self.source.nul_line()
        if nul is not None:
            raise ReadError(nul, "text without NUL characters")
        whole = self.source.frame()
        self.source.release()  # read once: its batches are all that is kept
        if whole is not None and whole.rows.width == self.width:
            if not whole.blank.all():
                yield self._converted(columns, *self._whole_columns(whole))
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

    def _whole_columns(self, whole: WholeFile) -> tuple[pl.Series, list[pl.Series]]:
        """Each contract column stripped, with each row's line, blank lines left out."""
        frame, blank = whole
        if blank.any():
            frame = frame.filter(~blank)
            lines = (blank.not_().arg_true() + 2).cast(pl.Int64)
        else:
            lines = pl.int_range(2, frame.height + 2, dtype=pl.Int64, eager=True)
        stripped = [
            frame.to_series(p).str.strip_chars()
            if p >= 0
            else pl.repeat("", frame.height, dtype=pl.String, eager=True)
            for p in self.positions
        ]
        return lines, stripped

    def _converted(self, columns: Columns, lines: pl.Series, raw: list[pl.Series]) -> Batch:
        converted = [columns.convert(c, r) for c, r in zip(self.table.columns, raw, strict=True)]
        return Batch(lines, raw, [v for v, _ in converted], [b for _, b in converted])

    def _batch(self, columns: Columns, lines: Sequence[int], rows: list[list[str]]) -> Batch:
        width = self.width
        if set(map(len, rows)) != {width}:
            self._check_widths(lines, rows)
        by_column = list(zip(*rows, strict=False))
        raw = [
            _text(list(map(str.strip, by_column[p]))) if p >= 0 else _text([""] * len(rows))
            for p in self.positions
        ]
        return self._converted(columns, pl.Series(lines, dtype=pl.Int64), raw)

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
_NO_IDS = pl.Series([], dtype=pl.String)


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


@dataclass
class _Deferred:
    """A column's references to a table that may come later: checked once all are read."""

    table: Table
    column: Column
    lines: pl.Series
    values: pl.Series


class Validator:
    """Checks every table in contract order, a whole column at a time.

    Failing rows are found as masks over the columns; only those rows are looked at one by
    one, to say what is wrong with each. With a `sink`, each batch of rows is handed on once
    checked, for as long as no problem has been found, so that an extract is read once:
    checked and written in the same pass. Whoever gives a sink must undo what it wrote if
    problems are found (a transaction).
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
        self.ids: dict[str, pl.Series | None] = {}
        self.meetings: list[pl.Series] = []
        # (table, column) -> each row's date by its id (the last row's, for an id given twice)
        self.dates: dict[tuple[str, str], pl.DataFrame] = {}
        self.deferred: list[_Deferred] = []
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
        for deferred in self.deferred:
            column = deferred.column
            known = self.ids.get(column.ref)
            if known is not None:
                self._report(
                    deferred.table.file_name,
                    deferred.lines,
                    ~deferred.values.is_in(known.implode()),
                    column.name,
                    deferred.values,
                    f"the id of a row in {column.ref}.csv",
                )

    def _report(
        self,
        file: str,
        lines: pl.Series,
        rows: pl.Series,
        column: str,
        found: pl.Series,
        expected: str | pl.Series,
    ) -> None:
        """A problem for each row of the mask `rows`: its value in `found` and what was
        expected (the same for every row, or each row's)."""
        at = rows.fill_null(False).arg_true()
        if at.is_empty():
            return
        shown = at.head(self.problems.room)
        values = found.gather(shown)
        self.problems.add_rows(
            file,
            lines.gather(shown).to_list(),
            column,
            (_iso(values) if values.dtype == pl.Date else values).to_list(),
            expected if isinstance(expected, str) else expected.gather(shown).to_list(),
            count=len(at),
        )

    def _references(self, table: Table) -> list[tuple[int, Column, pl.Series | None, str]]:
        """For each column that refers to another table: what it is checked against."""
        checks: list[tuple[int, Column, pl.Series | None, str]] = []
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
            broken = any(t in self.ids and self.ids[t] is None for t in present)
            if present and not broken:
                meetings = pl.concat(self.meetings) if self.meetings else _NO_IDS
                checks.append((0, table.columns[0], meetings, "meeting"))
        return checks

    def _rows(self, found: TableLayout) -> None:
        table, file = found.table, found.table.file_name
        columns = table.columns
        index = {c.name: n for n, c in enumerate(columns)}
        id_at = index[table.id_column.name]
        ids: list[pl.Series] = []
        references = self._references(table)
        keep_dates: list[tuple[int, list[pl.DataFrame]]] = [
            (index[c], []) for (t, c) in NEEDED_DATES if t == table.name
        ]
        meeting_at = [index[c] for t, c in MEETING_SOURCES if t == table.name]
        count = 0
        sink = self.sink if not self.problems else None
        if sink is not None:
            sink.begin(found)
        try:
            for batch in found.batches(self.converters):
                count += len(batch)
                if self.progress:
                    self.progress(self.phase, table.name, len(batch), None)
                self._batch(table, batch, id_at, ids, references)
                if sink is not None:
                    if self.problems:
                        sink = None
                    else:
                        sink.write(table, batch)
                row_ids = batch.values[id_at]
                ids.append(row_ids)
                for at, kept in keep_dates:
                    dated = pl.DataFrame({"id": row_ids, "date": batch.values[at]})
                    kept.append(dated.filter(pl.col("date").is_not_null()))
                for at in meeting_at:
                    self.meetings.append(batch.values[at].filter(batch.values[at] != ""))
        except ReadError as error:
            self.problems.add(file, error.line, "", error.found, str(error))
            self.ids[table.name] = None
            return
        self.row_counts[table.name] = count
        if table.required_file and not count:
            # An empty export would otherwise remove every child's records.
            self.problems.add(file, None, "", "", "at least one row after the header")
            return
        if sink is not None:
            sink.end(table, count)
        if table.name in REFERENCED:
            every = pl.concat(ids) if ids else _NO_IDS
            self.ids[table.name] = every.filter(every != "").unique()
        for at, kept in keep_dates:
            dates = (
                pl.concat(kept) if kept else pl.DataFrame(schema={"id": pl.String, "date": pl.Date})
            )
            self.dates[(table.name, columns[at].name)] = dates.unique(
                "id", keep="last", maintain_order=True
            )

    def _batch(
        self,
        table: Table,
        batch: Batch,
        id_at: int,
        ids: list[pl.Series],
        references: list[tuple[int, Column, pl.Series | None, str]],
    ) -> None:
        checked = self._values(table, batch)
        self._ids(table, batch, id_at, ids)
        self._refs(table, batch, references)
        self._orders(table, batch, checked)

    def _values(self, table: Table, batch: Batch) -> pl.Series | None:
        """Required values missing, and values that are not what their column holds; the
        rows with neither (None: every row), whose dates are compared by `_orders`."""
        file, lines = table.file_name, batch.lines
        bad_rows: pl.Series | None = None
        for column, raw, bad in zip(table.columns, batch.raw, batch.bad, strict=True):
            missing = _mask(raw == "") if column.required else None
            for rows, expected in (
                (missing, "a value (this column is required)"),
                (bad, column.expected),
            ):
                if rows is not None:
                    self._report(file, lines, rows, column.name, raw, expected)
                    bad_rows = rows if bad_rows is None else bad_rows | rows
        return None if bad_rows is None else ~bad_rows

    def _ids(self, table: Table, batch: Batch, id_at: int, ids: list[pl.Series]) -> None:
        """Each id not used by an earlier row (of this batch, or of the `ids` before it)."""
        row_ids = batch.values[id_at]
        repeated = ~row_ids.is_first_distinct()
        if ids:
            repeated |= row_ids.is_in(pl.concat(ids).implode())
        if repeated.any():
            self._report(
                table.file_name,
                batch.lines,
                repeated & (row_ids != ""),
                table.id_column.name,
                row_ids,
                "an id not used by an earlier row",
            )

    def _refs(
        self,
        table: Table,
        batch: Batch,
        references: list[tuple[int, Column, pl.Series | None, str]],
    ) -> None:
        """Each reference names a row of the table it refers to (see `_references`)."""
        file, lines = table.file_name, batch.lines
        for at, column, known, how in references:
            values = batch.values[at]
            given = values != ""
            if how == "missing":
                if given.any() and (table.name, column.name) not in self.reported_missing:
                    self.reported_missing.add((table.name, column.name))
                    self.problems.add(
                        file,
                        None,
                        column.name,
                        "",
                        f"a file {column.ref}.csv, which this column refers to",
                    )
            elif how == "deferred":
                self.deferred.append(
                    _Deferred(table, column, lines.filter(given), values.filter(given))
                )
            elif known is not None:
                expected = (
                    "the meeting id of an ICPC or review conference"
                    if how == "meeting"
                    else f"the id of a row in {column.ref}.csv"
                )
                unknown = given & ~values.is_in(known.implode())
                self._report(file, lines, unknown, column.name, values, expected)

    def _orders(self, table: Table, batch: Batch, checked: pl.Series | None) -> None:
        """Dates in order, within each row and against the rows of earlier tables they name
        (only in the `checked` rows, whose values were all read)."""
        file, lines, values = table.file_name, batch.lines, batch.values
        index = {c.name: n for n, c in enumerate(table.columns)}
        for order in table.orders:
            later, earlier = values[index[order.later]], values[index[order.earlier]]
            before = later < earlier
            if checked is not None:
                before &= checked
            if before.any():
                each = _texts(
                    f"a date on or after {order.earlier} (",
                    _iso(earlier),
                    f"): {order.message.lower()}",
                )
                self._report(file, lines, before, order.later, later, each)
        for cross_order in table.cross_orders:
            known_dates = self.dates.get((cross_order.other_table, cross_order.other_column))
            if known_dates is None:
                continue
            value, ref = values[index[cross_order.column]], values[index[cross_order.ref_column]]
            other = ref.replace_strict(
                known_dates["id"], known_dates["date"], default=None, return_dtype=pl.Date
            )
            before = (value < other) & (ref != "")
            if checked is not None:
                before &= checked
            if before.any():
                each = _texts(
                    "a date on or after ",
                    _iso(other),
                    f" ({cross_order.other_column} of ",
                    ref,
                    f"): {cross_order.message.lower()}",
                )
                self._report(file, lines, before, cross_order.column, value, each)


def validate(
    sources: dict[str, TableSource], progress: Progress | None = None, sink: Sink | None = None
) -> ValidationResult:
    return Validator(sources, progress, sink).run()
