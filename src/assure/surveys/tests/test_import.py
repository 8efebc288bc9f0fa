"""`assure import-survey`: an online form's export read as an earlier run; any bad row stops
the whole import with its row, column, value and what was expected."""

from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from assure.surveys.models import Answer, Response, Survey

HEADER = (
    "ID,Start time,Email,Agency,Role,1. Are you aware of the escalation protocol?,"
    "I feel confident to challenge another agency.,How did you learn of it?,What would help?"
)


def write(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "forms-export.csv"
    path.write_text("\n".join([HEADER, *rows]), encoding="utf-8-sig")
    return path


def test_an_export_becomes_an_imported_run_without_its_names_or_times(
    survey: Any, manager: Any, tmp_path: Path, capsys: Any
) -> None:
    path = write(
        tmp_path,
        "1,2025-03-01 10:02,a@example.org,Testshire Police,Police officer or staff,Yes,Agree,"
        "Training;Website,More time",
        "2,2025-03-01 11:40,b@example.org,Children's Services,,no,2,Manager,",
    )
    call_command(
        "import_survey",
        str(path),
        survey="Escalation 2026",
        date="2025-03-01",
        as_username="manager",
    )
    imported = Survey.objects.get(imported=True)
    assert imported.title == "Escalation 2026 (imported March 2025)"
    assert not imported.links.exists()
    assert sorted(Response.objects.filter(survey=imported).values_list("role", flat=True)) == [
        "not_said",
        "police",
    ]
    values = sorted(Answer.objects.filter(survey=imported).values_list("value", flat=True))
    assert values == sorted(["yes", "4", "Training", "Website", "More time", "no", "2", "Manager"])
    assert "a@example.org" not in str(list(Answer.objects.values()))
    assert "Ignored columns (not stored): ID, Start time, Email" in capsys.readouterr().out


def test_unknown_answers_are_reported_per_row_and_nothing_is_written(
    survey: Any, manager: Any, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        "1,,,Testshire Police,,Yes,Agree,Training,",
        "2,,,Mars Police,Chef,Maybe,6,Radio,",
    )
    with pytest.raises(CommandError) as refused:
        call_command("import_survey", str(path), survey="Escalation 2026", as_username="manager")
    message = str(refused.value)
    assert "Nothing was imported" in message
    assert "row 3, column 'Agency': 'Mars Police' is not an agency" in message
    assert "row 3, column 'Role': 'Chef' is not a role" in message
    assert (
        "row 3, column '1. Are you aware of the escalation protocol?': 'Maybe' is not an "
        "answer; expected yes or no" in message
    )
    assert "column 'I feel confident to challenge another agency.': '6' is not an answer" in message
    assert "'Radio' is not an answer; expected one or more of Training, Manager, Website" in message
    assert not Survey.objects.filter(imported=True).exists()
    assert not Response.objects.exists()


def test_an_xlsx_export_from_a_template(manager: Any, council: Any, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["Are you aware of the partnership's escalation protocol?", "Agency"])
    sheet.append(["Yes", "Testshire children's services"])
    path = tmp_path / "export.xlsx"
    book.save(path)
    call_command("import_survey", str(path), survey="escalation-awareness", as_username="manager")
    assert Response.objects.get().agency == council


def test_only_a_partnership_manager_imports(make_user: Any, tmp_path: Path) -> None:
    make_user(username="lead")
    with pytest.raises(CommandError, match="only a partnership manager"):
        call_command("import_survey", str(write(tmp_path)), survey="x", as_username="lead")
