"""`assure import-escalations` (every problem by row, nothing written) and `assure escalations`."""

import json
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from assure.escalations.models import Escalation, Stage
from assure.escalations.tests.conftest import raise_one

HEADER = (
    "escalation_id,raised_date,raised_by_agency,about_agency,category,stage,stage_started,"
    "stage_ended,outcome"
)
H1 = "H1,2025-12-19,Children's Services,Testshire Police,threshold"
GOOD = [
    f"{H1},1,2025-12-19,2026-01-05,",
    f"{H1},2,2026-01-05,2026-01-09,resolved_changed",
    "H2,2026-01-05,TNT,Testshire children's services,Information sharing,1,2026-01-05,"
    "2026-01-06,resolved_agreed",
    "H3,2026-01-07,Testshire Police,Trust,attendance,1,2026-01-07,,",
]


def _csv(tmp_path: Path, lines: list[str], name: str = "history.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path


def test_import_matches_aliases_and_computes_due_dates(people, tmp_path: Path) -> None:
    out = StringIO()
    call_command("import_escalations", str(_csv(tmp_path, GOOD)), stdout=out)
    assert "Imported 3 escalations" in out.getvalue()
    h1 = Escalation.objects.get(reference="H1")
    assert (h1.raised_by_agency.name, h1.about_agency.name) == (
        "Testshire children's services",
        "Testshire Police",
    )
    assert (h1.outcome, h1.ended_date) == ("resolved_changed", date(2026, 1, 9))
    assert [(s.number, s.due, s.ended) for s in h1.stages.all()] == [
        (1, date(2025, 12, 30), date(2026, 1, 5)),  # over Christmas and Boxing Day
        (2, date(2026, 1, 12), date(2026, 1, 9)),
    ]
    assert Escalation.objects.get(reference="H2").category == "information_sharing"
    assert Escalation.objects.get(reference="H3").is_open


def test_import_from_excel(people, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    sheet.append(
        ["X1", date(2026, 1, 5), "Police", "Trust", "other", 1, date(2026, 1, 5), None, None]
    )
    path = tmp_path / "history.xlsx"
    book.save(path)
    with pytest.raises(CommandError):  # "Police" is no name or alias of an agency here
        call_command("import_escalations", str(path), stdout=StringIO(), stderr=StringIO())
    sheet["C2"] = "Testshire Police"
    book.save(path)
    call_command("import_escalations", str(path), stdout=StringIO())
    assert Escalation.objects.get(reference="X1").stages.get().due == date(2026, 1, 12)


def test_every_problem_is_reported_by_row_and_nothing_is_written(people, tmp_path: Path) -> None:
    bad = [
        *GOOD[:3],
        "B1,2026-02-30,Children's Services,Testshire Police,threshold,1,2026-02-02,,",
        "B2,2026-02-02,Fire service,Testshire Police,threshold,1,2026-02-02,,",
        "B3,2026-02-02,Testshire Police,Testshire Police,gossip,5,2026-02-02,,maybe",
        "B4,2026-02-02,Testshire Police,Trust,other,1,2026-02-02,,",
        "B4,2026-02-02,Testshire Police,Trust,other,2,2026-02-09,,",
        "B5,2026-02-02,Testshire Police,Trust,other,1,2026-02-02,2026-02-03,",
        ",2026-02-02,Testshire Police,Trust,other,1,2026-02-02,,",
    ]
    err = StringIO()
    with pytest.raises(CommandError, match="Nothing imported"):
        call_command("import_escalations", str(_csv(tmp_path, bad)), stdout=StringIO(), stderr=err)
    problems = err.getvalue()
    for expected in (
        "history.csv row 5, raised_date: value '2026-02-30'; expected a date as YYYY-MM-DD",
        "row 6, raised_by_agency: value 'Fire service'; expected the name or an alias",
        "row 7, category: value 'gossip'",
        "row 7, about_agency: value 'Testshire Police'; expected another agency",
        "row 7, stage: value '5'; expected a stage number from 1 to 4",
        "row 7, outcome: value 'maybe'",
        "row 8, stage_ended: value ''; expected the date stage 1 ended",
        "row 10, outcome: value ''; expected how the escalation ended",
        "row 11, escalation_id: value ''",
    ):
        assert expected in problems, expected
    assert not Escalation.objects.exists()
    assert not Stage.objects.exists()


def test_import_refuses_an_id_already_imported(people, tmp_path: Path) -> None:
    call_command("import_escalations", str(_csv(tmp_path, GOOD)), stdout=StringIO())
    err = StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_escalations",
            str(_csv(tmp_path, GOOD, "again.csv")),
            stdout=StringIO(),
            stderr=err,
        )
    assert (
        "again.csv row 2, escalation_id: value 'H1'; expected an id not already imported"
        in err.getvalue()
    )
    assert Escalation.objects.count() == 3


def test_missing_columns_are_named(people, tmp_path: Path) -> None:
    path = tmp_path / "short.csv"
    path.write_text("escalation_id,raised_date\nA,2026-01-01\n", encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_escalations", str(path), stdout=StringIO(), stderr=err)
    assert "short.csv: missing columns raised_by_agency, about_agency" in err.getvalue()


def test_command_prints_the_json_document(people, council, police, health, tmp_path: Path) -> None:
    call_command("import_escalations", str(_csv(tmp_path, GOOD)), stdout=StringIO())
    raise_one(people["manager"], health, police, date(2026, 2, 2))  # due 9 Feb: after `to`
    out = StringIO()
    call_command("escalations", "--from", "2025-12-01", "--to", "2026-01-31", "--json", stdout=out)
    document = json.loads(out.getvalue())
    assert list(document) == [
        "raised",
        "ended",
        "resolved_at_stage_1",
        "stages",
        "median_working_days_to_resolve",
        "by_about_agency",
        "by_category",
    ]
    assert document["raised"] == 3
    assert document["ended"] == 2
    assert document["resolved_at_stage_1"] == 1
    # H1 stage 1 due 30 Dec, ended 5 Jan: late; H2 met; H3 due 14 Jan, open: overdue; H1 stage
    # 2 due 12 Jan, ended 9 Jan: met
    assert document["stages"] == {
        "1": {"met": 1, "late": 1, "overdue": 1},
        "2": {"met": 1, "late": 0, "overdue": 0},
        "3": {"met": 0, "late": 0, "overdue": 0},
        "4": {"met": 0, "late": 0, "overdue": 0},
    }
    # H1: 19 Dec to 9 Jan is 12 working days; H2: 5 to 6 Jan is 1
    assert document["median_working_days_to_resolve"] == 6.5
    assert document["by_about_agency"] == {
        "Testshire Police": 1,
        "Testshire children's services": 1,
        "Testshire NHS Trust": 1,
    }
    assert document["by_category"] == {"threshold": 1, "information_sharing": 1, "attendance": 1}
    table = StringIO()
    call_command("escalations", "--from", "2025-12-01", "--to", "2026-01-31", stdout=table)
    assert "raised 3, ended 2" in table.getvalue()
    with pytest.raises(CommandError, match="after --to"):
        call_command("escalations", "--from", "2026-02-01", "--to", "2026-01-31")
