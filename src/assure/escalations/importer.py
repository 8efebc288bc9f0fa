"""Importing escalation history: one row a stage, from CSV or Excel (issue 13, point 5).

Columns: escalation_id, raised_date, raised_by_agency, about_agency, category, stage,
stage_started, stage_ended, outcome. Agency names are matched to the partnership's agencies
and their aliases. Every problem is reported by file, row, field and value with what was
expected; nothing is written if there is any.
"""

import csv
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from django.db import transaction

from assure.accounts.models import Partnership
from assure.core import audit
from assure.core.viewer import Viewer
from assure.escalations import selectors
from assure.escalations.models import STAGES, Category, Escalation, Outcome, Stage
from assure.escalations.services import stage_due
from assure.reviewdocs.agencies import normalise

COLUMNS = (
    "escalation_id",
    "raised_date",
    "raised_by_agency",
    "about_agency",
    "category",
    "stage",
    "stage_started",
    "stage_ended",
    "outcome",
)
CATEGORY_WORDS = {normalise(c.label): c.value for c in Category} | {
    c.value: c.value for c in Category
}


class ImportRefused(Exception):
    """The file cannot be imported; `problems` says why, one line each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class Row:
    number: int  # as a spreadsheet numbers it: the header is row 1
    values: dict[str, str]


@dataclass
class Planned:
    """One escalation to create, with its stages (number, started, ended)."""

    reference: str
    raised: date
    raised_by: int
    about: int
    category: str
    outcome: str = ""
    stages: list[tuple[int, date, date | None, int]] = field(default_factory=list)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_rows(path: Path) -> tuple[list[str], Iterator[Row]]:
    """The header and rows of a .csv or .xlsx file (the first sheet)."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        with path.open(newline="", encoding="utf-8-sig") as f:
            lines = list(csv.reader(f))
    elif suffix == ".xlsx":
        from openpyxl import load_workbook  # here: only a spreadsheet needs it

        book = load_workbook(path, read_only=True, data_only=True)
        lines = [[_text(v) for v in row] for row in book.worksheets[0].iter_rows(values_only=True)]
        book.close()
    else:
        raise ImportRefused([f"{path.name}: expected a .csv or .xlsx file"])
    if not lines:
        raise ImportRefused([f"{path.name}: the file is empty; expected a header row"])
    header = [h.strip().lower() for h in lines[0]]
    rows = (
        Row(n, {name: (line[i].strip() if i < len(line) else "") for i, name in enumerate(header)})
        for n, line in enumerate(lines[1:], start=2)
        if any(cell.strip() for cell in line)
    )
    return header, rows


class _Checker:
    def __init__(self, name: str, partnership_id: int) -> None:
        self.name = name
        self.problems: list[str] = []
        self.agencies: dict[str, int] = {}
        for agency, aliases, pk in selectors.agency_names(partnership_id):
            for alias in (agency, *aliases):
                self.agencies.setdefault(normalise(alias), pk)

    def problem(self, row: Row, column: str, expected: str) -> None:
        value = row.values.get(column, "")
        self.problems.append(
            f"{self.name} row {row.number}, {column}: value {value!r}; expected {expected}"
        )

    def date(self, row: Row, column: str, *, required: bool = True) -> date | None:
        text = row.values.get(column, "")
        if not text and not required:
            return None
        try:
            return (
                date.fromisoformat(text[:10]) if len(text) in (10, 19) else date.fromisoformat(text)
            )
        except ValueError:
            self.problem(row, column, "a date as YYYY-MM-DD, for example 2026-03-31")
            return None

    def agency(self, row: Row, column: str) -> int | None:
        found = self.agencies.get(normalise(row.values.get(column, "")))
        if found is None:
            self.problem(row, column, "the name or an alias of one of the partnership's agencies")
        return found


def check(
    name: str, partnership: Partnership, header: list[str], rows: Iterator[Row]
) -> list[Planned]:
    """The escalations to create; ImportRefused with every problem if there is any."""
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise ImportRefused(
            [
                f"{name}: missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}; "
                f"expected the header {','.join(COLUMNS)}"
            ]
        )
    checker = _Checker(name, partnership.pk)
    by_id: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        reference = row.values["escalation_id"]
        if not reference:
            checker.problem(
                row, "escalation_id", "the escalation's id (the same on each of its stages)"
            )
            continue
        by_id[reference].append(row)
    existing = set(
        Escalation.objects.filter(partnership=partnership, reference__in=list(by_id)).values_list(
            "reference", flat=True
        )
    )
    planned = []
    for reference, stage_rows in by_id.items():
        found = _escalation(checker, reference, stage_rows, reference in existing)
        if found is not None:
            planned.append(found)
    if checker.problems:
        raise ImportRefused(checker.problems)
    return planned


def _escalation(checker: _Checker, reference: str, rows: list[Row], exists: bool) -> Planned | None:
    """Check one escalation's rows; None (with problems recorded) if any is wrong."""
    before = len(checker.problems)
    first = rows[0]
    if exists:
        checker.problem(first, "escalation_id", "an id not already imported for this partnership")
    raised = checker.date(first, "raised_date")
    raised_by = checker.agency(first, "raised_by_agency")
    about = checker.agency(first, "about_agency")
    category = CATEGORY_WORDS.get(normalise(first.values["category"]))
    if category is None:
        checker.problem(first, "category", f"one of {', '.join(Category.values)}")
    if raised_by is not None and raised_by == about:
        checker.problem(first, "about_agency", "another agency than the one raising it")
    for row in rows[1:]:
        for column in ("raised_date", "raised_by_agency", "about_agency", "category"):
            if normalise(row.values[column]) != normalise(first.values[column]):
                checker.problem(
                    row,
                    column,
                    f"{first.values[column]!r} as on row {first.number} (the same escalation)",
                )
    stages: list[tuple[int, date, date | None, int]] = []
    outcomes = {}
    for row in rows:
        text = row.values["stage"]
        number = int(text) if text.isdigit() else None
        if number not in STAGES:
            checker.problem(row, "stage", "a stage number from 1 to 4")
        started = checker.date(row, "stage_started")
        ended = checker.date(row, "stage_ended", required=False)
        if started and ended and ended < started:
            checker.problem(row, "stage_ended", f"a date on or after the stage started ({started})")
        if started and raised and started < raised:
            checker.problem(
                row, "stage_started", f"a date on or after the escalation was raised ({raised})"
            )
        outcome = row.values["outcome"].strip().lower()
        if outcome and outcome not in Outcome.values:
            checker.problem(row, "outcome", f"empty or one of {', '.join(Outcome.values)}")
        elif outcome:
            outcomes[row.number] = outcome
        if number in STAGES and started:
            stages.append((number, started, ended, row.number))
    stages.sort()
    numbers = [s[0] for s in stages]
    if len(stages) == len(rows) and numbers != list(range(1, len(numbers) + 1)):
        checker.problem(
            rows[0],
            "stage",
            f"stages numbered 1, 2, … once each; escalation {reference} has {numbers}",
        )
    outcome = ""
    if len(set(outcomes.values())) > 1:
        checker.problem(rows[-1], "outcome", "one outcome for the escalation")
    elif outcomes and stages:
        outcome = next(iter(outcomes.values()))
        last = stages[-1]
        if last[2] is None:
            checker.problems.append(
                f"{checker.name} row {last[3]}, stage_ended: value ''; expected the date the "
                f"escalation ended ({outcome}) on its last stage"
            )
    for number, _, ended, row_number in stages[:-1]:
        if ended is None:
            checker.problems.append(
                f"{checker.name} row {row_number}, stage_ended: value ''; expected the date "
                f"stage {number} ended, since a later stage follows"
            )
    if stages and not outcome and stages[-1][2] is not None:
        checker.problems.append(
            f"{checker.name} row {stages[-1][3]}, outcome: value ''; expected how the "
            f"escalation ended, since its last stage ended"
        )
    if (
        len(checker.problems) > before
        or raised is None
        or raised_by is None
        or about is None
        or category is None
    ):
        return None
    return Planned(reference, raised, raised_by, about, category, outcome, stages)


def import_file(partnership: Partnership, path: Path, actor: Viewer | None = None) -> int:
    """Import the file's escalations; ImportRefused (nothing written) if any row is wrong."""
    header, rows = read_rows(path)
    planned = check(path.name, partnership, header, rows)
    with transaction.atomic():
        made = Escalation.objects.bulk_create(
            Escalation(
                partnership=partnership,
                reference=p.reference,
                raised_by_agency_id=p.raised_by,
                about_agency_id=p.about,
                category=p.category,
                raised_date=p.raised,
                outcome=p.outcome,
                ended_date=p.stages[-1][2] if p.outcome else None,
            )
            for p in planned
        )
        ids = dict(
            Escalation.objects.filter(
                partnership=partnership, reference__in=[p.reference for p in planned]
            ).values_list("reference", "pk")
        )
        Stage.objects.bulk_create(
            (
                Stage(
                    escalation_id=ids[p.reference],
                    partnership=partnership,
                    number=number,
                    started=started,
                    due=stage_due(number, started),
                    ended=ended,
                )
                for p in planned
                for number, started, ended, _ in p.stages
            ),
            batch_size=2000,
        )
        audit.record(
            actor,
            audit.Action.IMPORT,
            record_type="escalations.escalation",
            summary=f"Imported {len(made)} escalations from {path.name}",
        )
    return len(made)
