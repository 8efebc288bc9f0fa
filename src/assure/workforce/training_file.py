"""Reading and checking a training attendance file (docs/domain.md section 9).

Columns: `course`, `session_date`, `agency`, `role`, `attendee_ref` (the agency's own
pseudonymous id; never a name), `attended` (flag), `confidence_before`, `confidence_after`
(1 to 5, optional). CSV (UTF-8) or XLSX (first sheet). Other columns are ignored and never
stored: a file exported with names keeps them out of Assure. Every problem is reported by row,
column, value and what was expected; `parse` returns no rows when there is any problem.
"""

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import PurePath

from assure.workforce.models import WorkforceRole

COLUMNS = (
    "course",
    "session_date",
    "agency",
    "role",
    "attendee_ref",
    "attended",
    "confidence_before",
    "confidence_after",
)
REQUIRED = ("course", "session_date", "agency", "role", "attendee_ref", "attended")
MAX_PROBLEMS = 200
YES = {"y", "yes", "1", "true"}
NO = {"n", "no", "0", "false"}
# A pseudonymous id is one word of letters, digits and - _ . / : a space or an @ suggests a
# name or an email address, which Assure must not keep.
REF = re.compile(r"^[A-Za-z0-9_\-./:]{1,64}$")
ROLES = {v: v for v in WorkforceRole.values} | {
    label.casefold(): value for value, label in WorkforceRole.choices
}


@dataclass(frozen=True)
class Problem:
    row: int  # the file's row number (the header is row 1)
    column: str
    value: str
    expected: str

    def __str__(self) -> str:
        where = f"row {self.row}" if self.row else "the header"
        shown = f"“{self.value}”" if self.value else "blank"
        return f"{where}, column {self.column}: {shown}; expected {self.expected}"


@dataclass(frozen=True)
class Row:
    course: str
    session_date: date
    agency: str  # as written; matched to an agency by the service
    role: str
    attendee_ref: str
    attended: bool
    confidence_before: int | None
    confidence_after: int | None
    number: int


@dataclass
class Parsed:
    name: str
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


class UnreadableFile(ValueError):
    """The file is not a CSV or XLSX that can be read; the message says why."""


def _records(name: str, data: bytes) -> Iterator[list[str]]:
    suffix = PurePath(name).suffix.lower()
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds for a bad file
            raise UnreadableFile(f"“{name}” could not be read as an XLSX workbook.") from error
        for values in book.worksheets[0].iter_rows(values_only=True):
            yield [_cell(v) for v in values]
        return
    if suffix != ".csv":
        raise UnreadableFile(f"“{name}” is not a .csv or .xlsx file.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UnreadableFile(f"“{name}” is not UTF-8 text: save it as CSV UTF-8.") from error
    yield from csv.reader(io.StringIO(text, newline=""))


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _date(text: str) -> date | None:
    if len(text) == 10 and text[4] == "-":
        try:
            return date.fromisoformat(text)
        except ValueError:
            return None
    try:
        return datetime.strptime(text, "%d/%m/%Y").date()
    except ValueError:
        return None


def parse(name: str, data: bytes, today: date) -> Parsed:
    """The file's rows, or its problems (and then no rows)."""
    parsed = Parsed(name)
    records = _records(name, data)
    header = [h.strip().lower() for h in next(records, [])]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        for column in missing:
            parsed.problems.append(Problem(0, column, "", "a column with this name"))
        return parsed
    where = {c: header.index(c) for c in COLUMNS if c in header}
    rows = []
    for number, values in enumerate(records, start=2):
        if not any(v.strip() for v in values):
            continue
        row = _row(number, values, where, today, parsed.problems)
        if row is not None:
            rows.append(row)
        if len(parsed.problems) >= MAX_PROBLEMS:
            break
    if not rows and not parsed.problems:
        parsed.problems.append(Problem(0, "course", "", "at least one row under the header"))
    if not parsed.problems:
        parsed.rows = rows
    return parsed


SCORES = {"1": 1, "2": 2, "3": 3, "4": 4, "5": 5, "": None}


def _row(
    number: int,
    values: list[str],
    where: dict[str, int],
    today: date,
    problems: list[Problem],
) -> Row | None:
    width = len(values)
    course, session_text, agency, role_text, ref, attended_text, before_text, after_text = (
        values[where[c]].strip() if c in where and where[c] < width else "" for c in COLUMNS
    )
    session = _date(session_text) if session_text else None
    role = ROLES.get(role_text.casefold()) if role_text else None
    attended = attended_text.casefold()
    before, after = SCORES.get(before_text, 0), SCORES.get(after_text, 0)
    if (
        course
        and agency
        and session is not None
        and session <= today
        and role is not None
        and REF.match(ref)
        and attended in YES | NO
        and before != 0
        and after != 0
        and len(course) <= 200
    ):
        return Row(course, session, agency, role, ref, attended in YES, before, after, number)
    given = dict(zip(COLUMNS, (course, session_text, agency, role_text, ref, attended_text,
                               before_text, after_text), strict=True))  # fmt: skip

    def bad(column: str, expected: str) -> None:
        problems.append(Problem(number, column, given[column], expected))

    for column in REQUIRED:
        if not given[column]:
            bad(column, "a value (this column is required)")
    if len(course) > 200:
        bad("course", "a course title of at most 200 characters")
    if session_text and session is None:
        bad("session_date", "a date as YYYY-MM-DD or DD/MM/YYYY")
    elif session is not None and session > today:
        bad("session_date", f"a date on or before today ({today:%d/%m/%Y})")
    if role_text and role is None:
        bad("role", "one of " + ", ".join(WorkforceRole.values))
    if ref and not REF.match(ref):
        bad(
            "attendee_ref",
            "the agency's pseudonymous id (letters, digits, - _ . / :), never a name or email",
        )
    if attended and attended not in YES | NO:
        bad("attended", "Y or N (also 1/0, true/false)")
    for column, score in (("confidence_before", before), ("confidence_after", after)):
        if score == 0:
            bad(column, "a whole number from 1 to 5, or blank")
    return None
