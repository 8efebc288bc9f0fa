"""Reading tables: CSV files streamed row by row, or rows given as dicts (the CIN census).

Values are read as text and converted by the functions here: dates `YYYY-MM-DD` or
`DD/MM/YYYY` (a time after the date, as SQL Server writes it, is ignored), flags `Y`/`N`,
`1`/`0`, `true`/`false`; empty means unknown.
"""

import csv
import hashlib
import io
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future
from datetime import date, datetime
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import Any, NamedTuple

import polars as pl

from assure.casedata.contract import TABLES, table_name

CHUNK = 1 << 20
FLAG_VALUES = {
    "y": True,
    "yes": True,
    "1": True,
    "true": True,
    "t": True,
    "n": False,
    "no": False,
    "0": False,
    "false": False,
    "f": False,
}

Source = str | Path | Iterable[Mapping[str, Any]]


class WholeFile(NamedTuple):
    """A file's rows as columns of text (empty where blank), and which rows are blank lines."""

    rows: pl.DataFrame
    blank: pl.Series


@lru_cache(maxsize=1 << 16)
def parse_date(text: str) -> date:
    """A date from `YYYY-MM-DD` or `DD/MM/YYYY`; ValueError otherwise."""
    if len(text) > 10 and text[10] in " T":
        text = text[:10]
    if len(text) == 10 and text.isascii():
        if text[4] == "-" and text[7] == "-" and (text[:4] + text[5:7] + text[8:]).isdigit():
            return date(int(text[:4]), int(text[5:7]), int(text[8:]))
        if text[2] == "/" and text[5] == "/" and (text[:2] + text[3:5] + text[6:]).isdigit():
            return date(int(text[6:]), int(text[3:5]), int(text[:2]))
    raise ValueError(text)


def parse_dates(text: pl.Series) -> pl.Series:
    """`parse_date` on a whole column: a Date for each value, null where it is not one (or is
    empty or null). The same formats, checked the same way, so that the two always agree.
    Each distinct text is parsed once (a column has far fewer dates than rows)."""
    distinct = text.unique().drop_nulls()
    return text.replace_strict(distinct, _parse_each(distinct), default=None, return_dtype=pl.Date)


def _parse_each(text: pl.Series) -> pl.Series:
    cut = (
        pl.when((text.str.len_chars() > 10) & text.str.slice(10, 1).is_in([" ", "T"]))
        .then(text.str.slice(0, 10))
        .otherwise(text)
    )
    # [0-9], not \d (which matches any script's digits); year 0 is no date in Python's calendar.
    iso = cut.str.contains(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$") & (cut.str.slice(0, 4) != "0000")
    british = cut.str.contains(r"^[0-9]{2}/[0-9]{2}/[0-9]{4}$") & (cut.str.slice(6, 4) != "0000")
    return pl.select(
        pl.when(iso)
        .then(cut.str.to_date("%Y-%m-%d", strict=False))
        .when(british)
        .then(cut.str.to_date("%d/%m/%Y", strict=False))
        .otherwise(None)
    ).to_series()


def _blank_lines(path: Path, short: pl.Series, width: int, expected: int) -> pl.Series | None:
    """Of the file's rows marked `short`, which are blank lines; None if one of the others has
    fewer values than `width` (counting commas outside quoted text)."""
    try:
        lines = pl.read_csv(
            path,
            has_header=False,
            separator="\0",
            quote_char=None,
            infer_schema=False,
            new_columns=["line"],
            raise_if_empty=False,
        )
    except (pl.exceptions.PolarsError, OSError, UnicodeDecodeError):
        return None
    if lines.height != expected:
        return None
    text = lines.to_series().slice(1).filter(short).fill_null("").str.strip_chars_end("\r")
    blank = text == ""
    values = text.str.count_matches(",", literal=True) + 1
    quoted = text.str.contains('"', literal=True)
    if quoted.any():  # commas inside quoted text are not separators
        unquoted = text.filter(quoted).str.replace_all('"[^"]*"', "")
        values = values.scatter(quoted.arg_true(), unquoted.str.count_matches(",") + 1)
    if (values.filter(~blank) != width).any():
        return None
    return blank


def _longer_than_read(rows: pl.DataFrame) -> bool:
    """Whether a value is longer than the CSV reader reads (it says where)."""
    limit = csv.field_size_limit()
    longest = rows.select(pl.all().str.len_bytes().max()).max_horizontal().item()
    if (longest or 0) > limit:  # bytes: no fewer than characters
        longest = rows.select(pl.all().str.len_chars().max()).max_horizontal().item()
    return bool((longest or 0) > limit)


def _not_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return True
    return False


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Y" if value else "N"
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _without_blank(
    lines: Sequence[int], rows: list[list[str]]
) -> tuple[Sequence[int], list[list[str]]]:
    if [] not in rows:
        return lines, rows
    kept = [(line, row) for line, row in zip(lines, rows, strict=True) if row]
    return [line for line, _ in kept], [row for _, row in kept]


def _line_breaks(value: str) -> int:
    """Line breaks inside a quoted value (each of CR LF, LF and CR ends a line)."""
    return value.count("\n") + value.count("\r") - value.count("\r\n")


def _lines_ending(rows: list[list[str]], before: int) -> list[int]:
    """The line each row ends on, when some rows span lines (or are blank)."""
    lines = []
    line = before
    for row in rows:
        line += 1 + sum(map(_line_breaks, row))
        lines.append(line)
    return lines


class TableSource:
    """One table's rows, readable more than once (validation, then writing).

    `rows()` yields `(line, values)`: the line in the file (the header is line 1) and the
    values as text, in the order of `header`.
    """

    def __init__(self, source: Source, label: str):
        self.label = label
        self.path: Path | None = None
        self._dicts: list[Mapping[str, Any]] = []
        if isinstance(source, str | Path):
            self.path = Path(source)
        else:
            self._dicts = source if isinstance(source, list) else list(source)
        self._header: list[str] | None = None
        self._raw_keys: list[Any] = []
        self._has_nul: bool | None = None  # noted by `digest`, which reads every byte anyway
        self._line_ends: tuple[int, int, bool] | None = None  # LFs, CRs, ends with LF (`digest`)
        self._digest: bytes | None = None
        self._whole: WholeFile | bool | None = False  # False: not read yet (see `frame`)
        self._ahead = _READ_AHEAD.pop(self.path.resolve(), None) if self.path else None

    @property
    def header(self) -> list[str]:
        """Column names as given (a byte-order mark and surrounding spaces removed)."""
        if self._header is None:
            if self.path is not None:
                with self._open() as handle:
                    first = next(csv.reader(handle), [])
                self._header = [name.strip() for name in first]
            else:
                names: dict[str, None] = {}
                for row in self._dicts:
                    names.update(dict.fromkeys(row))
                self._raw_keys = list(names)
                self._header = [str(name).strip() for name in names]
        return self._header

    def _open(self) -> io.TextIOWrapper:
        assert self.path is not None
        return open(self.path, encoding="utf-8-sig", newline="")

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        for lines, rows in self.batches(1024):
            yield from zip(lines, rows, strict=True)

    def batches(self, size: int) -> Iterator[tuple[Sequence[int], list[list[str]]]]:
        """Rows in lists of up to `size`, with the line each ends on; blank lines skipped."""
        if self.path is not None:
            with self._open() as handle:
                reader = csv.reader(handle, strict=True)
                next(reader, None)
                line = reader.line_num
                while rows := list(islice(reader, size)):
                    end = reader.line_num
                    # One line a row, as nearly always: no need to ask the reader each time.
                    lines: Sequence[int] = (
                        range(line + 1, end + 1)
                        if end - line == len(rows)
                        else _lines_ending(rows, line)
                    )
                    line = end
                    yield _without_blank(lines, rows)
            return
        self.header  # noqa: B018 (reads the keys)
        keys = self._raw_keys
        for start in range(0, len(self._dicts), size):
            chunk = self._dicts[start : start + size]
            yield (
                range(start + 2, start + 2 + len(chunk)),
                [[_as_text(row.get(k)) for k in keys] for row in chunk],
            )

    def frame(self) -> "WholeFile | None":
        """The whole file read at once by polars (every value as text), when each row is one
        line of the file with one value for each column of the header, so that a row's line is
        its position.

        None when polars cannot read it, a value spans lines (or lines end in a lone CR) or a
        row has more or fewer values: the CSV reader then reads it row by row, and says where
        and what is wrong.
        """
        self._adopt()
        if self._whole is False:
            self._whole = self._read_whole()
        assert not isinstance(self._whole, bool)
        return self._whole

    def _adopt(self) -> None:
        """Take what `read_ahead` read of this file (waiting for it), if the file is as it was
        when read; otherwise it is read here, and what is wrong with it said as usual."""
        if self._ahead is None:
            return
        ahead, self._ahead = self._ahead, None
        try:
            stat, read = ahead.result()
        except Exception:  # read again here, to say what is wrong
            return
        if self.path is not None and _stat(self.path) == stat:
            self._digest, self._has_nul = read._digest, read._has_nul
            self._line_ends, self._whole = read._line_ends, read._whole

    def release(self) -> None:
        """Let go of the file read whole (it is read again if asked for)."""
        self._whole = False

    def _read_whole(self) -> "WholeFile | None":
        if self.path is None:
            return None
        if self._line_ends is None:
            self.digest()
        assert self._line_ends is not None
        feeds, returns, ends_with_feed = self._line_ends
        if returns not in (0, feeds):
            return None
        expected = feeds + (0 if ends_with_feed else 1)
        try:
            rows = pl.read_csv(self.path, infer_schema=False, encoding="utf8", raise_if_empty=False)
        except (pl.exceptions.PolarsError, OSError, UnicodeDecodeError):
            return None  # among others, a row with more values than the header
        # As many rows as lines: no value spans lines.
        if rows.height != expected - 1 or rows.width == 0 or _longer_than_read(rows):
            return None
        # A row with fewer values than the header, or a blank line, is read with its last
        # value missing: only such rows' lines are looked at.
        short = rows.to_series(rows.width - 1).is_null()
        blank = pl.repeat(False, rows.height, eager=True)
        if short.any():
            found = _blank_lines(self.path, short, rows.width, expected)
            if found is None:
                return None
            blank = blank.scatter(short.arg_true(), found)
        return WholeFile(rows.with_columns(pl.all().fill_null("")), blank)

    def nul_line(self) -> int | None:
        """The line of the first NUL character in the file, if it has one (a database cannot
        store it, and no text in an extract should hold one)."""
        if self.path is None:
            return None
        self._adopt()
        if self._has_nul is None:
            self.digest()
        return self._first_line(lambda raw: b"\0" in raw) if self._has_nul else None

    def bad_text_line(self) -> int | None:
        """The first line that is not UTF-8."""
        return self._first_line(_not_utf8)

    def bad_csv_line(self) -> int | None:
        """The line on which the first row that is not well-formed CSV starts (for an unclosed
        quote, the line where it opens)."""
        if self.path is None:
            return None
        with self._open() as handle:
            reader = csv.reader(handle, strict=True)
            started = 1
            try:
                for _ in reader:
                    started = reader.line_num + 1
            except csv.Error:
                return started
            except UnicodeDecodeError:  # reported as such when read in batches
                return None
        return None

    def _first_line(self, bad: Callable[[bytes], bool]) -> int | None:
        """The number of the first line for which `bad(its bytes)`, lines ending at CR, LF or
        CR LF as the CSV reader counts them. Only read when something is known to be wrong."""
        if self.path is None:
            return None
        with open(self.path, "rb") as raw:
            # Latin-1 maps each byte to one character and back, so the bytes are kept.
            lines = io.TextIOWrapper(raw, encoding="latin-1", newline=None)
            for number, line in enumerate(lines, start=1):
                if bad(line.encode("latin-1")):
                    return number
        return None

    def size_hint(self) -> int:
        """Roughly how many rows there are (from the file's size), without reading them."""
        if self.path is None:
            return len(self._dicts)
        try:
            return self.path.stat().st_size // 50
        except OSError:
            return 0

    def digest(self) -> bytes:
        """SHA-256 of the file's bytes (or of the rows' values, for dicts), worked out once."""
        self._adopt()
        if self._digest is None:
            self._digest = self._hash()
        return self._digest

    def _hash(self) -> bytes:
        hasher = hashlib.sha256()
        if self.path is not None:
            self._has_nul = False
            feeds = returns = 0
            last = b""
            with open(self.path, "rb") as handle:
                while chunk := handle.read(CHUNK):
                    hasher.update(chunk)
                    self._has_nul = self._has_nul or b"\0" in chunk
                    feeds += chunk.count(b"\n")
                    returns += chunk.count(b"\r")
                    last = chunk
            self._line_ends = (feeds, returns, last.endswith(b"\n"))
        else:
            hasher.update("\x1f".join(self.header).encode())
            for _, values in self.rows():
                hasher.update(b"\x1e" + "\x1f".join(values).encode())
        return hasher.digest()


def sources_from_folder(folder: str | Path) -> dict[str, Path]:
    """Every file in a folder (not its sub-folders), keyed by its name.

    `ssd_person.csv` and `ssd_person` both name the person table: given both, the import
    reports two files for one table rather than read one of them.
    """
    return {
        path.name: path
        for path in sorted(Path(folder).iterdir())
        if path.is_file() and not path.name.startswith(".")
    }


# Files being read by `read_ahead`, by resolved path: each the file's state before it was read
# (`_stat`) and a `TableSource` that has read it; taken by the `TableSource` made for it.
_Read = Future[tuple[tuple[int, ...], "TableSource"]]
_READ_AHEAD: dict[Path, _Read] = {}


def _stat(path: Path) -> tuple[int, ...]:
    """What changes when a file does: its device, inode, size and time of last change."""
    found = path.stat()
    return (found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns, found.st_ctime_ns)


def read_ahead(folder: str | Path) -> None:
    """Begin reading an extract's files (each digested and read whole, as an import does) on a
    thread of their own, in the order an import checks them, for the import about to start.

    `assure import-cases FOLDER` does, before Django starts: the start (Django, every app and
    its models, 0.5 s of one core) and the reading (0.3 s, polars letting go of the GIL) then
    overlap. Only this module (and the contract) are loaded by then, so the thread imports
    nothing. A `TableSource` made for one of the files takes what was read, if the file has
    not changed since (`TableSource._adopt`). Files that are not the contract's are not read.
    """
    order = {table.name: at for at, table in enumerate(TABLES)}
    paths = sorted(
        (p.resolve() for p in sources_from_folder(folder).values() if table_name(p.name) in order),
        key=lambda path: order[table_name(path.name)],
    )
    reads: list[tuple[Path, TableSource, _Read]] = []
    for path in paths:
        reads.append((path, TableSource(path, path.name), Future()))
        _READ_AHEAD[path] = reads[-1][2]
    threading.Thread(target=_read, args=(reads,), name="assure-read-ahead", daemon=True).start()


def _read(reads: list[tuple[Path, TableSource, _Read]]) -> None:
    for path, source, found in reads:
        try:
            stat = _stat(path)
            source.frame()
            found.set_result((stat, source))
        except Exception as error:  # the taker reads it again, and says what is wrong
            found.set_exception(error)
