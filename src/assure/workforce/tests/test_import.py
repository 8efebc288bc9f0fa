"""Training attendance files: problems by row, nothing written if any; XLSX; the command."""

import io

import pytest
import time_machine
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from assure.accounts.models import Role
from assure.core.models import AuditEvent
from assure.core.viewer import Viewer
from assure.workforce.models import Attendance, Course
from assure.workforce.services import import_training
from assure.workforce.tests.conftest import HEADER, TODAY, csv_file

GOOD = "Briefing,2026-03-10,Testshire Police,police_cae,B1,Y,2,4"


@time_machine.travel(TODAY, tick=False)
def test_every_problem_by_row_and_nothing_written(manager, council, police):
    data = csv_file(
        GOOD,
        "Briefing,31/02/2026,Testshire Police,police_cae,B2,Y,,",
        "Briefing,2026-07-02,Testshire Police,police_cae,B3,Y,,",
        "Briefing,2026-03-10,Testshire Police,constable,B4,Y,,",
        "Briefing,2026-03-10,Testshire Police,police_cae,Jane Smith,Y,,",
        "Briefing,2026-03-10,Testshire Police,police_cae,B6,maybe,0,6",
        "Briefing,2026-03-10,Testshire Police,police_cae,,Y,,",
    )
    result = import_training(manager, "attendance.csv", data)
    assert [str(p) for p in result.problems] == [
        "row 3, column session_date: “31/02/2026”; expected a date as YYYY-MM-DD or DD/MM/YYYY",
        "row 4, column session_date: “2026-07-02”; expected a date on or before today (01/07/2026)",
        "row 5, column role: “constable”; expected one of social_worker, school_nurse, "
        "health_visitor, midwife, gp, police_cae, dsl, other",
        "row 6, column attendee_ref: “Jane Smith”; expected the agency's pseudonymous id "
        "(letters, digits, - _ . / :), never a name or email",
        "row 7, column attended: “maybe”; expected Y or N (also 1/0, true/false)",
        "row 7, column confidence_before: “0”; expected a whole number from 1 to 5, or blank",
        "row 7, column confidence_after: “6”; expected a whole number from 1 to 5, or blank",
        "row 8, column attendee_ref: blank; expected a value (this column is required)",
    ]
    assert not Attendance.objects.exists()
    assert not Course.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_unknown_agency_duplicate_rows_and_missing_columns(manager, council, police):
    result = import_training(
        manager,
        "a.csv",
        csv_file(GOOD, GOOD, "Briefing,2026-03-10,Testshire Fire,police_cae,B9,Y,,"),
    )
    assert [str(p) for p in result.problems] == [
        "row 3, column attendee_ref: “B1”; expected one row per attendee and session (also on "
        "row 2)",
        "row 4, column agency: “Testshire Fire”; expected the name of an agency: Testshire "
        "Police, Testshire Safeguarding Children Partnership: learning group and business unit, "
        "Testshire children's services",
    ]
    missing = import_training(manager, "b.csv", b"course,agency\nBriefing,Testshire Police\n")
    assert [p.column for p in missing.problems] == [
        "session_date",
        "role",
        "attendee_ref",
        "attended",
    ]
    assert not Attendance.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_xlsx_names_are_never_kept(manager, police):
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append([*HEADER.split(","), "attendee_name"])
    sheet.append(
        ["Briefing", TODAY.replace(month=3), "testshire police", "GPs", "G-1", 1, 3, 5, "Dr Who"]
    )
    buffer = io.BytesIO()
    book.save(buffer)
    result = import_training(manager, "attendance.xlsx", buffer.getvalue())
    assert result.ok, [str(p) for p in result.problems]
    row = Attendance.objects.get()
    assert (row.role, row.attendee_ref, row.attended, row.confidence_after) == (
        "gp",
        "G-1",
        True,
        5,
    )
    assert "Dr Who" not in str(list(Attendance.objects.values()))
    assert AuditEvent.objects.filter(
        action="import", record_type="workforce.trainingimport"
    ).exists()


@time_machine.travel(TODAY, tick=False)
def test_only_partnership_managers_import(make_user, police):
    lead = Viewer.of(make_user(Role.AGENCY_LEAD, agency=police))
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        import_training(lead, "a.csv", csv_file(GOOD))


@time_machine.travel(TODAY, tick=False)
def test_the_command(manager, police, tmp_path, capsys):
    good = tmp_path / "attendance.csv"
    good.write_bytes(csv_file(GOOD))
    call_command("import_training", str(good), "--as", manager.user.username)
    assert Attendance.objects.count() == 1
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_file("Briefing,2026-03-10,Testshire Police,police_cae,B1,Y,9,"))
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("import_training", str(bad), "--as", manager.user.username)
    assert "bad.csv, row 2, column confidence_before: “9”" in capsys.readouterr().err
    with pytest.raises(CommandError, match="--as USERNAME"):
        call_command("import_training", str(good))
