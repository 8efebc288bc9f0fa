"""`assure import-cases` and `assure purge-cases`."""

import getpass
import os
import time
import zipfile
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import OperationalError

from assure.accounts.models import Partnership, Role
from assure.casedata import models
from assure.casedata.signals import snapshot_imported
from assure.casedata.tests.conftest import make_user
from assure.casedata.tests.extracts import base_tables, write_extract
from assure.core.models import AuditEvent
from assure.ops import tempfiles


def import_cases(*args):
    out = StringIO()
    call_command("import_cases", *[str(a) for a in args], stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_import_prints_the_summary(partnership, extract):
    output = import_cases(extract, "--extract-date", "2025-06-30")
    assert "ssd_person" in output
    assert "Imported the extract of 2025-06-30" in output
    assert "Dropped columns in ssd_person.csv: pers_forename, pers_surname" in output
    assert models.Person.objects.count() == 3
    assert AuditEvent.objects.get(action="import").actor_username == (
        f"{getpass.getuser()} (command line)"
    )
    again = import_cases(extract, "--extract-date", "2025-06-30")
    assert "already imported" in again


@pytest.mark.django_db
def test_import_fails_with_the_problems_and_writes_nothing(partnership, tmp_path):
    tables = base_tables()
    tables["ssd_cp_plans"][0]["cppl_cp_plan_start_date"] = "2025-02-30"
    folder = write_extract(tmp_path / "bad", tables)
    out = StringIO()
    with pytest.raises(CommandError, match="1 problem: nothing was imported"):
        call_command("import_cases", str(folder), stdout=out)
    assert "ssd_cp_plans.csv, row 2, column cppl_cp_plan_start_date" in out.getvalue()
    assert models.Person.objects.count() == 0


@pytest.mark.django_db
def test_import_from_a_zip(partnership, extract, tmp_path):
    archive = tmp_path / "extract.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        for path in extract.iterdir():
            zipped.write(path, f"extract/{path.name}")
    import_cases(archive)
    assert models.CPVisit.objects.count() == 1
    assert models.ImportSnapshot.objects.get().source == "extract.zip"


@pytest.mark.django_db
def test_partnership_must_be_clear(extract):
    with pytest.raises(CommandError, match="no partnership"):
        import_cases(extract)
    Partnership.objects.create(name="A")
    Partnership.objects.create(name="B")
    with pytest.raises(CommandError, match="more than one"):
        import_cases(extract)
    import_cases(extract, "--partnership", "B")
    assert models.Person.objects.filter(partnership__name="B").count() == 3


@pytest.mark.django_db
def test_bad_arguments(partnership, tmp_path):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        import_cases(tmp_path, "--extract-date", "30/06/2025")
    with pytest.raises(CommandError, match="no folder or file"):
        import_cases(tmp_path / "nothing")


@pytest.mark.django_db
def test_purge_removes_people_inactive_for_longer_than_the_period(partnership, tmp_path):
    tables = base_tables()
    # P2's records all ended long ago; P1 has an open plan; P3 has no activity at all.
    for name in (
        "assure_legal_planning",
        "ssd_pre_proceedings",
        "assure_plo_filing",
        "assure_viability_assessments",
    ):
        for row in tables[name]:
            for key, value in row.items():
                if value.startswith("2025-"):
                    row[key] = "2010" + value[4:]
    import_cases(write_extract(tmp_path / "x", tables), "--extract-date", "2025-06-30")
    out = StringIO()
    call_command("purge_cases", "--dry-run", stdout=out)
    assert "Would delete 1 people" in out.getvalue()
    assert models.Person.objects.count() == 3
    out = StringIO()
    call_command("purge_cases", "--older-than-years", "7", stdout=out)
    assert "Deleted 1 people" in out.getvalue()
    assert set(models.Person.objects.values_list("ssd_id", flat=True)) == {"P1", "P3"}
    assert models.LegalPlanning.objects.count() == 0
    assert models.PreProceedings.objects.count() == 0
    assert models.CPPlan.objects.count() == 1
    assert AuditEvent.objects.filter(action="delete", record_type="casedata.person").exists()


@pytest.mark.django_db
def test_purge_default_period_from_settings(partnership, extract, settings):
    import_cases(extract)
    settings.ASSURE_CASE_RETENTION_YEARS = 1
    models.CPPlan.objects.update(end_date=date(2023, 1, 1))
    models.CaseFlag.objects.update(end_date=date(2023, 1, 1))
    models.Involvement.objects.update(end_date=date(2023, 1, 1))
    out = StringIO()
    call_command("purge_cases", "--dry-run", stdout=out)
    assert "Would delete 2 people" in out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "value", ["0", "-1", "101", "3000", "12345678901234567890", "7.5", "seven", ""]
)
def test_purge_refuses_a_retention_period_outside_1_to_100_years(partnership, extract, value):
    import_cases(extract)
    models.CPPlan.objects.update(end_date=date(2000, 1, 1))
    models.CaseFlag.objects.update(end_date=date(2000, 1, 1))
    models.Involvement.objects.update(end_date=date(2000, 1, 1))
    people = models.Person.objects.count()
    with pytest.raises(CommandError) as caught:
        call_command("purge_cases", f"--older-than-years={value}", stdout=StringIO())
    message = str(caught.value)
    assert "--older-than-years" in message
    assert repr(value) in message
    assert "a whole number of years from 1 to 100" in message
    assert models.Person.objects.count() == people


@pytest.mark.django_db
@pytest.mark.parametrize("value", [3000, "seven"])
def test_purge_refuses_a_retention_setting_outside_1_to_100_years(partnership, settings, value):
    settings.ASSURE_CASE_RETENTION_YEARS = value
    with pytest.raises(CommandError, match=f"ASSURE_CASE_RETENTION_YEARS is '{value}'; expected"):
        call_command("purge_cases", "--dry-run", stdout=StringIO())


@pytest.mark.django_db
def test_purge_accepts_100_years(partnership, extract):
    import_cases(extract)
    out = StringIO()
    call_command("purge_cases", "--older-than-years", "100", "--dry-run", stdout=out)
    assert "Would delete 0 people" in out.getvalue()
    assert "(100 years)" in out.getvalue()


def _busy_listener(times: int, calls: list[int]):
    """A listener whose own write finds the database busy `times` times."""

    def listener(**kwargs):
        calls.append(1)
        if len(calls) <= times:
            raise OperationalError("database is locked")

    return listener


@pytest.mark.django_db
@pytest.mark.parametrize(("busy", "calls", "warned"), [(1, 2, False), (10, 3, True)])
def test_a_committed_import_succeeds_even_if_work_after_it_fails(
    partnership, extract, busy, calls, warned
):
    made: list[int] = []
    listener = _busy_listener(busy, made)
    snapshot_imported.connect(listener, dispatch_uid="test-busy-listener")
    try:
        output = import_cases(extract, "--extract-date", "2025-06-30")  # does not raise
    finally:
        snapshot_imported.disconnect(dispatch_uid="test-busy-listener")
    assert len(made) == calls  # tried again after the database was busy
    assert "Imported the extract of 2025-06-30" in output
    assert ("could not be started: database is locked" in output) is warned
    assert models.ImportSnapshot.objects.get().status == models.ImportSnapshot.Status.CURRENT


@pytest.mark.django_db
def test_import_removes_temporary_files_left_by_a_crashed_import(partnership, extract):
    left = tempfiles.temp_dir() / "assure-staging-crashed-test.sqlite3"
    left.write_bytes(b"children's records")
    four_hours_ago = time.time() - 4 * 3600
    os.utime(left, (four_hours_ago, four_hours_ago))
    import_cases(extract, "--extract-date", "2025-06-30")
    assert not left.exists()


@pytest.mark.django_db
def test_as_attributes_the_work_to_an_active_assure_person(partnership, agency, extract):
    make_user(agency, "analyst", Role.PARTNERSHIP_MANAGER)
    import_cases(extract, "--extract-date", "2025-06-30", "--as", "analyst")
    event = AuditEvent.objects.get(action="import")
    assert event.actor_username == "analyst"
    assert event.changes["command_line_user"] == getpass.getuser()
    out = StringIO()
    call_command("purge_cases", "--dry-run", "--as", "analyst", stdout=out)
    call_command("purge_cases", "--older-than-years", "1", "--as", "analyst", stdout=out)
    purge = AuditEvent.objects.get(action="delete", record_type="casedata.person")
    assert purge.actor_username == "analyst"


@pytest.mark.django_db
def test_as_refuses_an_unknown_or_inactive_person(partnership, agency, extract):
    with pytest.raises(CommandError, match="--as nobody: there is no Assure person"):
        import_cases(extract, "--as", "nobody")
    leaver = make_user(agency, "leaver", Role.PARTNERSHIP_MANAGER)
    leaver.is_active = False
    leaver.save()
    with pytest.raises(CommandError, match="--as leaver: that person's account is not active"):
        call_command("purge_cases", "--dry-run", "--as", "leaver", stdout=StringIO())
    with pytest.raises(CommandError, match="--as leaver"):
        call_command("import_cin", "census.xml", "--as", "leaver", stdout=StringIO())
    assert not AuditEvent.objects.filter(action="import").exists()
