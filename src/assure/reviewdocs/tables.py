"""Action-plan tables: one row per action, several rows may share a recommendation."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from .agencies import AgencyMatcher
from .dates import cell_date
from .draft import Action, Recommendation, Response, Unparsed
from .status import cell_status

Cell = object
Role = Literal["number", "text", "action", "agency", "due", "status"]

_I = re.IGNORECASE
_ROLE_RULES: list[tuple[Role, re.Pattern[str]]] = [
    ("status", re.compile(r"\b(?:status|rag|progress|rating)\b", _I)),
    ("due", re.compile(r"\b(?:timescales?|timeframe|target|due|deadline|when|date)\b", _I)),
    ("agency", re.compile(r"\b(?:agency|agencies|organi[sz]ations?|lead|owner|responsible)\b", _I)),
    (
        "number",
        re.compile(
            r"^(?:rec(?:ommendation)?s?\s*(?:no|number|num|ref|id)|rec|no|number|ref|ref no|#)$", _I
        ),
    ),
    ("text", re.compile(r"\brecommendations?\b", _I)),
    ("action", re.compile(r"\b(?:actions?|response|tasks?|activity|what\s+will)\b", _I)),
]
_NUMBER_CELL = re.compile(
    r"^\W*(?:rec(?:ommendation)?\.?\s*|r)?(?P<n>\d{1,3})(?:[.\-]?\w{0,3})?\W*$", _I
)
_NUMBERED_TEXT = re.compile(
    r"^\W*(?:rec(?:ommendation)?\.?\s*)?(?P<n>\d{1,3})\s*[.):\-–—]\s*(?P<text>\S.*)$", _I | re.S
)


@dataclass(frozen=True)
class RawTable:
    """Cell values as read (text, numbers, dates); `label` prefixes row locations."""

    rows: list[tuple[Cell, ...]]
    label: str = ""

    def where(self, index: int) -> str:
        return f"{self.label}row {index + 1}"


@dataclass
class TableResult:
    """Recommendations read from a table, with its title row and what it could not read."""

    recommendations: list[Recommendation] = field(default_factory=list)
    unparsed: list[Unparsed] = field(default_factory=list)
    title: str | None = None


def cell_text(value: Cell) -> str:
    """A cell as trimmed text (whole-number floats lose their ".0")."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, date):
        return value.isoformat()
    return re.sub(r"[ \t]+", " ", str(value)).strip()


def header_role(header: str) -> Role | None:
    """The column a header names (recommendation number or text, action, agency, ...)."""
    name = re.sub(r"[^\w#/ ]+", " ", header.lower()).replace("/", " ").strip()
    name = re.sub(r"\s+", " ", name)
    for role, rule in _ROLE_RULES:
        if name and rule.search(name):
            return role
    return None


def find_header(table: RawTable) -> tuple[int, dict[Role, int]] | None:
    """The header row (within the first 15) and its columns, if the table is an action plan."""
    for index, row in enumerate(table.rows[:15]):
        columns: dict[Role, int] = {}
        for col, value in enumerate(row):
            role = header_role(cell_text(value))
            if role and role not in columns:
                columns[role] = col
        has_rec = "number" in columns or "text" in columns
        if len(columns) >= 2 and has_rec and ("action" in columns or len(columns) >= 3):
            return index, columns
    return None


def read_table(
    table: RawTable, header: tuple[int, dict[Role, int]], matcher: AgencyMatcher
) -> TableResult:
    """Recommendations grouped by number, responses by agency, one action per row."""
    start, columns = header
    reader = _RowReader(table, columns, matcher)
    result = TableResult()
    result.title, above = _title(table, start)
    result.unparsed.extend(above)
    result.unparsed.extend(_unused_columns(table, start, columns))
    for index in range(start + 1, len(table.rows)):
        reader.read(index)
    result.recommendations = reader.recommendations()
    result.unparsed.extend(reader.unparsed)
    return result


def _title(table: RawTable, header_index: int) -> tuple[str | None, list[Unparsed]]:
    title: str | None = None
    left: list[Unparsed] = []
    for index in range(header_index):
        values = _distinct(table.rows[index])
        if not values:
            continue
        if title is None and len(values) == 1:
            title = values[0]
        else:
            left.append(Unparsed(table.where(index), " | ".join(values), "text above the table"))
    return title, left


def _unused_columns(table: RawTable, start: int, columns: dict[Role, int]) -> list[Unparsed]:
    used = set(columns.values())
    header = table.rows[start]
    return [
        Unparsed(
            table.where(start),
            cell_text(value),
            "column not recognised: its values were not imported",
        )
        for col, value in enumerate(header)
        if col not in used and _column_has_values(table, start, col)
    ]


def _column_has_values(table: RawTable, start: int, col: int) -> bool:
    return any(col < len(row) and cell_text(row[col]) for row in table.rows[start + 1 :])


def _distinct(row: Sequence[Cell]) -> list[str]:
    seen: list[str] = []
    for value in row:
        text = cell_text(value)
        if text and text not in seen:
            seen.append(text)
    return seen


@dataclass
class _Rec:
    number: int
    where: str
    text: str = ""
    responses: dict[str | None, Response] = field(default_factory=dict)


class _RowReader:
    """Reads action rows one by one into recommendations keyed by number."""

    def __init__(self, table: RawTable, columns: dict[Role, int], matcher: AgencyMatcher) -> None:
        self.table = table
        self.columns = columns
        self.matcher = matcher
        self.recs: dict[int, _Rec] = {}
        self.unparsed: list[Unparsed] = []

    def _get(self, row: tuple[Cell, ...], role: Role) -> Cell:
        col = self.columns.get(role)
        return row[col] if col is not None and col < len(row) else None

    def _note(self, index: int, text: str, reason: str) -> None:
        self.unparsed.append(Unparsed(self.table.where(index), text, reason))

    def read(self, index: int) -> None:
        row = self.table.rows[index]
        values = _distinct(row)
        if not values:
            return
        number, rec_text = self._number(row)
        if number is None:
            self._note(index, " | ".join(values), "no recommendation number")
            return
        rec = self.recs.setdefault(number, _Rec(number, self.table.where(index)))
        if rec_text and not rec.text:
            rec.text = rec_text
        self._action(index, row, rec)

    def _number(self, row: tuple[Cell, ...]) -> tuple[int | None, str]:
        text = cell_text(self._get(row, "text"))
        raw = cell_text(self._get(row, "number"))
        if m := _NUMBER_CELL.match(raw):
            return int(m["n"]), text
        if m := _NUMBERED_TEXT.match(raw):
            return int(m["n"]), text or m["text"].strip()
        if m := _NUMBERED_TEXT.match(text):
            return int(m["n"]), m["text"].strip()
        if m := _NUMBER_CELL.match(text):
            return int(m["n"]), ""
        return None, text

    def _action(self, index: int, row: tuple[Cell, ...], rec: _Rec) -> None:
        action = cell_text(self._get(row, "action"))
        agency_raw = cell_text(self._get(row, "agency"))
        due_raw = self._get(row, "due")
        status_raw = cell_text(self._get(row, "status"))
        if not action:
            if agency_raw or cell_text(due_raw) or status_raw:
                self._note(index, " | ".join(_distinct(row)), "row has no action text")
            return
        agency = self._agency(index, agency_raw)
        action_item = Action(action, cell_status(status_raw, action), self._due(index, due_raw))
        response = rec.responses.setdefault(agency, Response(agency, "", []))
        line = f"{action} ({status_raw})" if len(status_raw.split()) > 3 else action
        response.text = "\n".join(filter(None, [response.text, line]))
        response.actions.append(action_item)

    def _agency(self, index: int, raw: str) -> str | None:
        if not raw:
            return None
        named = self.matcher.cell(raw)
        if named is None:
            self._note(index, raw, "agency not recognised")
        return named

    def _due(self, index: int, raw: Cell) -> date | None:
        try:
            return cell_date(raw)
        except ValueError:
            self._note(index, cell_text(raw), "timescale is not a date the parser understands")
            return None

    def recommendations(self) -> list[Recommendation]:
        return [
            Recommendation(rec.number, rec.text, list(rec.responses.values()), rec.where)
            for rec in sorted(self.recs.values(), key=lambda r: r.number)
        ]
