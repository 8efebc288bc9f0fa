"""Snapshots: all or nothing, idempotent, replaced by newer extracts; data minimisation."""

import copy
from datetime import date

import pytest
from django.apps import apps
from django.db import connection

from assure.casedata import models
from assure.casedata.contract import TABLES
from assure.casedata.importer.reading import sources_from_folder
from assure.casedata.importer.run import import_tables
from assure.casedata.importer.writing import row_hashes
from assure.casedata.tests.extracts import FORENAME, base_tables, write_extract
from assure.core.models import AuditEvent
from assure.core.viewer import Viewer


def counts() -> dict[str, int]:
    return {
        m.__name__: m._default_manager.count() for m in apps.get_app_config("casedata").get_models()
    }


def run(partnership, folder, actor, **kwargs):
    viewer = Viewer.of(actor) if actor else None
    return import_tables(partnership, sources_from_folder(folder), actor=viewer, **kwargs)


def test_fingerprints_are_those_stored_by_earlier_imports():
    """Values the importer computed from Python lists, before it kept columns (polars 2.1):
    other values would make the next import rewrite every row (bump CONTRACT_VERSION when
    that is meant)."""
    columns = [["P1", "P2"], ["2010-01-01", ""], ["1", "é\tx"]]
    assert row_hashes(columns).to_list() == [-2073625731913909189, 6440599521700704024]


@pytest.mark.django_db
def test_first_import_writes_every_table_and_an_audit_event(partnership, admin_user, extract):
    result = run(partnership, extract, admin_user, extract_date=date(2025, 6, 30))
    assert result.ok
    snapshot = result.snapshot
    assert snapshot.extract_date == date(2025, 6, 30)
    assert snapshot.row_counts["ssd_person"] == 3
    assert snapshot.has_table("ssd_cp_visits")
    assert len(snapshot.checksum) == 64
    assert snapshot.imported_by_username == "admin"
    assert result.summary["tables"]["ssd_person"] == {
        "rows": 3,
        "added": 3,
        "changed": 0,
        "removed": 0,
    }
    derived = {"SnapshotColumns"}  # built when the indicators first read the snapshot
    assert all(n > 0 for name, n in counts().items() if name not in derived), counts()
    event = AuditEvent.objects.get(action=AuditEvent.Action.IMPORT)
    assert event.record_id == str(snapshot.pk)
    plan = models.CPPlan.objects.get()
    assert (plan.initial_category, plan.latest_category, plan.icpc_ref) == ("NEG", "EMO", "I1")
    icpc = models.InitialConference.objects.get()
    assert icpc.plan == plan
    assert icpc.s47 is not None
    assert icpc.s47.ssd_id == "S1"
    assert icpc.outcome_cp is True
    assert models.ConferenceChair.objects.get(ssd_id="M2").chair.name == "Chair One"
    prep = models.PreProceedings.objects.get()
    assert prep.letter_filed_date == date(2025, 2, 20)


@pytest.mark.django_db
def test_date_of_birth_is_reduced_to_the_month(partnership, admin_user, extract):
    run(partnership, extract, admin_user)
    p1 = models.Person.objects.get(ssd_id="P1")
    assert p1.birth_month == date(2015, 3, 1)
    assert models.Person.objects.get(ssd_id="P2").birth_month == date(2019, 11, 1)
    assert models.Person.objects.get(ssd_id="P3").expected_birth_month == date(2026, 8, 1)


@pytest.mark.django_db
def test_names_are_never_stored_and_dropped_columns_are_listed(partnership, admin_user, extract):
    result = run(partnership, extract, admin_user)
    assert result.summary["dropped_columns"] == {
        "ssd_person.csv": ["pers_forename", "pers_surname"],
    }
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608
            for row in cursor.fetchall():
                text = " ".join(str(v) for v in row)
                assert FORENAME not in text, table
                assert "Secret outcome text" not in text, table


@pytest.mark.django_db
def test_plan_actions_keep_only_presence(partnership, admin_user, extract):
    run(partnership, extract, admin_user)
    action = models.PlanAction.objects.get()
    assert (action.has_outcome, action.has_risk, action.has_timeframe, action.has_responsible) == (
        True,
        False,
        True,
        True,
    )


@pytest.mark.django_db
def test_a_bad_row_at_the_end_leaves_the_database_as_it_was(
    partnership, admin_user, extract, tmp_path
):
    assert run(partnership, extract, admin_user, extract_date=date(2025, 6, 1)).ok
    before = counts()
    events = AuditEvent.objects.count()
    tables = base_tables()
    tables["ssd_person"].append({"pers_person_id": "P4"})
    tables["assure_case_flags"].append(
        {
            "flag_id": "F2",
            "flag_person_id": "P1",
            "flag_code": "CSAFE",
            "flag_start_date": "not a date",
        }
    )
    result = run(
        partnership,
        write_extract(tmp_path / "bad", tables),
        admin_user,
        extract_date=date(2025, 7, 1),
    )
    assert not result.ok
    assert [(p.file, p.row) for p in result.problems] == [("assure_case_flags.csv", 3)]
    assert counts() == before
    assert AuditEvent.objects.count() == events
    assert not models.Person.objects.filter(ssd_id="P4").exists()


@pytest.mark.django_db
def test_a_bad_row_after_written_rows_of_a_first_import_writes_nothing(
    partnership, admin_user, extract, tmp_path
):
    """The tables before the visits are written (on PostgreSQL, the visits' COPY is open)
    before the bad row after 2,001 good visits is found: the import is undone and the next
    one works."""
    tables = base_tables()
    visit = tables["ssd_cp_visits"][0]
    tables["ssd_cp_visits"] = [{**visit, "cppv_cp_visit_id": f"V{n}"} for n in range(1, 2002)] + [
        {**visit, "cppv_cp_visit_id": "VBAD", "cppv_cp_visit_seen": "perhaps"}
    ]
    before = counts()
    result = run(partnership, write_extract(tmp_path / "bad", tables), admin_user)
    assert not result.ok
    assert [(p.file, p.row, p.value) for p in result.problems] == [
        ("ssd_cp_visits.csv", 2003, "perhaps")
    ]
    assert counts() == before
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT).exists()
    assert run(partnership, extract, admin_user).ok
    assert models.CPVisit.objects.count() == len(base_tables()["ssd_cp_visits"])


@pytest.mark.django_db
@pytest.mark.parametrize("table", [t.name for t in TABLES])
def test_a_repeated_id_in_any_table_of_a_first_import_writes_nothing(
    partnership, admin_user, extract, tmp_path, table
):
    """Each table's rows are being written when its repeated id is found."""
    tables = base_tables()
    tables[table].append(dict(tables[table][-1]))
    result = run(partnership, write_extract(tmp_path / "bad", tables), admin_user)
    assert not result.ok
    assert [(p.file, p.row) for p in result.problems] == [(f"{table}.csv", len(tables[table]) + 1)]
    assert sum(counts().values()) == 0
    assert run(partnership, extract, admin_user).ok


@pytest.mark.django_db
def test_importing_the_same_snapshot_again_changes_nothing(partnership, admin_user, extract):
    first = run(partnership, extract, admin_user, extract_date=date(2025, 6, 1))
    before = counts()
    hashes = list(models.CPVisit.objects.values_list("pk", "row_hash"))
    again = run(partnership, extract, admin_user, extract_date=date(2025, 6, 1))
    assert again.ok
    assert again.already_imported
    assert again.snapshot == first.snapshot
    assert counts() == before
    assert list(models.CPVisit.objects.values_list("pk", "row_hash")) == hashes
    # Without a date, the same files are the same snapshot too.
    assert run(partnership, extract, admin_user).already_imported


@pytest.mark.django_db
def test_same_files_with_a_later_date_report_no_changes(partnership, admin_user, extract):
    run(partnership, extract, admin_user, extract_date=date(2025, 6, 1))
    before = counts()
    result = run(partnership, extract, admin_user, extract_date=date(2025, 7, 1))
    assert result.ok
    assert not result.already_imported
    assert (result.summary["added"], result.summary["changed"], result.summary["removed"]) == (
        0,
        0,
        0,
    )
    assert counts() == {**before, "ImportSnapshot": before["ImportSnapshot"] + 1}
    statuses = list(models.ImportSnapshot.objects.order_by("id").values_list("status", flat=True))
    assert statuses == ["superseded", "current"]


@pytest.mark.django_db
def test_a_newer_snapshot_replaces_the_older(partnership, admin_user, extract, tmp_path):
    run(partnership, extract, admin_user, extract_date=date(2025, 6, 1))
    p1_pk = models.Person.objects.get(ssd_id="P1").pk
    tables = copy.deepcopy(base_tables())
    tables["ssd_person"] = [r for r in tables["ssd_person"] if r["pers_person_id"] != "P3"]
    tables["ssd_person"][1]["pers_sex"] = "F"  # P2 changed
    tables["ssd_person"].append({"pers_person_id": "P4", "pers_dob": "2020-01-31"})
    result = run(
        partnership,
        write_extract(tmp_path / "newer", tables),
        admin_user,
        extract_date=date(2025, 7, 1),
    )
    assert result.ok
    assert result.summary["tables"]["ssd_person"] == {
        "rows": 3,
        "added": 1,
        "changed": 1,
        "removed": 1,
    }
    assert result.summary["tables"]["ssd_cp_visits"] == {
        "rows": 1,
        "added": 0,
        "changed": 0,
        "removed": 0,
    }
    assert set(models.Person.objects.values_list("ssd_id", flat=True)) == {"P1", "P2", "P4"}
    assert models.Person.objects.get(ssd_id="P2").sex == "F"
    assert models.Person.objects.get(ssd_id="P1").pk == p1_pk  # unchanged rows are untouched


@pytest.mark.django_db
def test_ids_of_any_text_are_matched_with_those_stored(partnership, admin_user, tmp_path):
    """Stored ids are read back as JSON text (`writing._stored`): quotes, commas, backslashes,
    brackets and accents come back as they went in, so the row is found, not re-added."""
    awkward = 'Q "1",\\é[]'
    tables = copy.deepcopy(base_tables())
    tables["ssd_person"].append({"pers_person_id": awkward, "pers_dob": "2020-01-31"})
    assert run(partnership, write_extract(tmp_path / "a", tables), admin_user).ok
    tables["ssd_person"][-1]["pers_sex"] = "F"
    result = run(partnership, write_extract(tmp_path / "b", tables), admin_user)
    assert result.ok
    assert result.summary["tables"]["ssd_person"] == {
        "rows": 4,
        "added": 0,
        "changed": 1,
        "removed": 0,
    }
    assert models.Person.objects.get(ssd_id=awkward).sex == "F"


@pytest.mark.django_db
def test_a_filing_date_filed_later_changes_its_pre_proceedings_row(
    partnership, admin_user, tmp_path
):
    """The PLO filing dates are part of the pre-proceedings row (stored and fingerprinted):
    a meeting filed since the last extract updates that row, and only it."""
    tables = copy.deepcopy(base_tables())
    assert run(partnership, write_extract(tmp_path / "a", tables), admin_user).ok
    tables["assure_plo_filing"][0]["plof_meeting_filed_date"] = "2025-03-03"
    result = run(partnership, write_extract(tmp_path / "b", tables), admin_user)
    assert result.ok
    assert result.summary["changed"] == 1
    assert result.summary["tables"]["ssd_pre_proceedings"]["changed"] == 1
    prep = models.PreProceedings.objects.get()
    assert (prep.letter_filed_date, prep.meeting_filed_date) == (
        date(2025, 2, 20),
        date(2025, 3, 3),
    )


@pytest.mark.django_db
def test_removed_people_take_their_records_and_missing_tables_become_unknown(
    partnership, admin_user, extract, tmp_path
):
    run(partnership, extract, admin_user, extract_date=date(2025, 6, 1))
    tables = base_tables()
    for name in (
        "ssd_pre_proceedings",
        "assure_plo_filing",
        "assure_legal_planning",
        "assure_viability_assessments",
    ):
        del tables[name]
    tables["ssd_person"] = [r for r in tables["ssd_person"] if r["pers_person_id"] != "P2"]
    result = run(
        partnership,
        write_extract(tmp_path / "newer", tables),
        admin_user,
        extract_date=date(2025, 7, 1),
    )
    assert result.ok, [str(p) for p in result.problems]
    assert result.summary["tables"]["ssd_pre_proceedings"]["removed"] == 1
    assert not result.snapshot.has_table("ssd_pre_proceedings")
    assert models.PreProceedings.objects.count() == 0
    assert models.LegalPlanning.objects.count() == 0


@pytest.mark.django_db
def test_an_older_extract_is_refused(partnership, admin_user, extract, tmp_path):
    run(partnership, extract, admin_user, extract_date=date(2025, 6, 1))
    tables = base_tables()
    tables["ssd_person"].pop()
    result = run(
        partnership,
        write_extract(tmp_path / "older", tables),
        admin_user,
        extract_date=date(2025, 5, 1),
    )
    assert not result.ok
    assert "extract date" in result.problems[0].column


@pytest.mark.django_db
def test_unknown_files_are_warnings(partnership, admin_user, extract):
    (extract / "notes.txt").write_text("hello")
    (extract / "ssd_something_else.csv").write_text("a,b\n1,2\n")
    result = run(partnership, extract, admin_user)
    assert result.ok
    assert result.warnings == [
        "Unknown file notes.txt: not read",
        "Unknown file ssd_something_else.csv: not read",
    ]


@pytest.mark.django_db
def test_bom_and_header_case_are_tolerated(partnership, admin_user, tmp_path):
    folder = tmp_path / "bom"
    folder.mkdir()
    (folder / "ssd_person.csv").write_bytes(
        "\ufeffPERS_PERSON_ID, pers_dob\r\nP1,2011-05-09\r\n".encode()
    )
    result = run(partnership, folder, admin_user)
    assert result.ok, [str(p) for p in result.problems]
    assert models.Person.objects.get().birth_month == date(2011, 5, 1)


@pytest.mark.django_db
def test_rows_as_dicts_as_the_cin_census_gives_them(partnership, admin_user):
    source = {
        "ssd_person": [{"pers_person_id": "C1", "pers_dob": date(2018, 4, 4), "pers_sex": "M"}],
        "ssd_s47_enquiry": iter(
            [
                {
                    "s47e_s47_enquiry_id": "E1",
                    "s47e_person_id": "C1",
                    "s47e_s47_start_date": date(2025, 3, 3),
                    "s47e_s47_nfa": True,
                },
            ]
        ),
    }
    result = import_tables(partnership, source, actor=Viewer.of(admin_user))
    assert result.ok, [str(p) for p in result.problems]
    enquiry = models.S47Enquiry.objects.get()
    assert enquiry.person.ssd_id == "C1"
    assert enquiry.nfa is True
    again = import_tables(
        partnership,
        {
            "ssd_person": [{"pers_person_id": "C1", "pers_dob": date(2018, 4, 4), "pers_sex": "M"}],
            "ssd_s47_enquiry": [
                {
                    "s47e_s47_enquiry_id": "E1",
                    "s47e_person_id": "C1",
                    "s47e_s47_start_date": date(2025, 3, 3),
                    "s47e_s47_nfa": True,
                },
            ],
        },
        actor=Viewer.of(admin_user),
    )
    assert again.already_imported
    bad = import_tables(
        partnership,
        {"ssd_person": [{"pers_person_id": "C1", "pers_dob": "x"}]},
        actor=Viewer.of(admin_user),
    )
    assert not bad.ok
    assert bad.problems[0].row == 2
