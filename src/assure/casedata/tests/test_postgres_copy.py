"""On PostgreSQL rows go in through COPY (`importer.writing`): one COPY left open for a table
with nothing stored, a COPY of the new rows otherwise, cancelled when checking stops part way.
Into an empty table rows go without its indexes (the unique one too) and foreign keys, all
back (and enforced) once its rows are in. A first import (every table empty) gives the ids
itself and hands the server's work to a lane (`importer.lane`).

These run only on PostgreSQL (SQLite has no COPY; its path is `test_staged_import`).
"""

from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction

from assure.accounts.models import Partnership
from assure.casedata import models
from assure.casedata.contract import BY_NAME, table_name
from assure.casedata.importer.lane import NotPipelined
from assure.casedata.importer.reading import TableSource, sources_from_folder
from assure.casedata.importer.run import import_tables
from assure.casedata.importer.staging import casedata_indexed_models
from assure.casedata.importer.validation import validate
from assure.casedata.importer.writing import COPY_ROWS, Writer
from assure.casedata.tests.extracts import base_tables, write_extract
from assure.core.viewer import Viewer

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's"),
    pytest.mark.django_db(transaction=True),
]
VISITS = COPY_ROWS + 1000  # more than one piece of COPY text, all in one COPY


def _tables(visits: int, bad_at: int | None = None) -> dict:
    tables = base_tables()
    tables["ssd_professionals"][0]["prof_professional_name"] = "Tab\there, back\\slash"
    template = tables["ssd_cp_visits"][0]
    tables["ssd_cp_visits"] = [
        template
        | {
            "cppv_cp_visit_id": f"V{n}",
            "cppv_cp_visit_date": "2025-13-01" if n == bad_at else "2025-01-27",
            "cppv_cp_visit_seen": "Y" if n % 2 else "N",
            "cppv_cp_visit_seen_alone": "" if n % 3 else "N",
        }
        for n in range(1, visits + 1)
    ]
    return tables


def _import(partnership, admin_user, folder, extract_date):
    return import_tables(
        partnership,
        sources_from_folder(folder),
        actor=Viewer.of(admin_user),
        extract_date=extract_date,
    )


def test_rows_and_values_go_in_by_copy(partnership, admin_user, tmp_path):
    folder = write_extract(tmp_path / "first", _tables(VISITS))
    result = _import(partnership, admin_user, folder, date(2025, 2, 1))
    assert result.ok, result.problems
    assert models.CPVisit.objects.count() == VISITS
    visit = models.CPVisit.objects.get(ssd_id="V6")
    assert (visit.date, visit.seen, visit.seen_alone) == (date(2025, 1, 27), False, False)
    assert models.CPVisit.objects.get(ssd_id="V7").seen_alone is None
    assert models.CPVisit.objects.get(ssd_id="V1").plan.ssd_id == "PL1"
    professional = models.Professional.objects.get(ssd_id="W1")
    assert professional.name == "Tab\there, back\\slash"
    # A later extract with more rows: the new ones by COPY beside those stored.
    more = write_extract(tmp_path / "more", _tables(VISITS + 10))
    again = _import(partnership, admin_user, more, date(2025, 2, 2))
    assert again.ok, again.problems
    assert again.summary["tables"]["ssd_cp_visits"]["added"] == 10
    assert models.CPVisit.objects.count() == VISITS + 10


def test_a_problem_part_way_cancels_the_copy_and_writes_nothing(partnership, admin_user, tmp_path):
    folder = write_extract(tmp_path / "bad", _tables(VISITS, bad_at=COPY_ROWS + 500))
    result = _import(partnership, admin_user, folder, date(2025, 2, 1))
    assert not result.ok
    assert [(p.file, p.column, p.value) for p in result.problems] == [
        ("ssd_cp_visits.csv", "cppv_cp_visit_date", "2025-13-01")
    ]
    assert models.Person.objects.count() == models.CPVisit.objects.count() == 0
    # The connection is usable: the cancelled COPY left nothing open.
    good = write_extract(tmp_path / "good", _tables(10))
    assert _import(partnership, admin_user, good, date(2025, 2, 1)).ok
    assert models.CPVisit.objects.count() == 10


def _schema() -> set[tuple]:
    """Every constraint (with its deferral) and index of the case data tables."""
    tables = [m._meta.db_table for m in casedata_indexed_models()]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), condeferrable, "
            "condeferred, convalidated FROM pg_constraint WHERE conrelid::regclass::text = ANY(%s)",
            [tables],
        )
        constraints = set(cursor.fetchall())
        cursor.execute(
            "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s)",
            [tables],
        )
        return constraints | set(cursor.fetchall())


def test_a_first_import_leaves_every_constraint_and_index_as_it_was(
    partnership, admin_user, tmp_path
):
    before = _schema()
    assert any(
        "UNIQUE INDEX" in str(row) and "(partnership_id, ssd_id)" in str(row) for row in before
    )
    assert any("FOREIGN KEY (plan_id)" in str(row) for row in before)
    assert ("casedata_cpvisit", "casedata_cpvisit_pkey") in {row[:2] for row in before}
    folder = write_extract(tmp_path / "first", _tables(10))
    assert _import(partnership, admin_user, folder, date(2025, 2, 1)).ok
    assert _schema() == before
    # ... and they hold: one id per partnership and a row, references to rows that exist.
    with pytest.raises(IntegrityError):
        _update_visit("V2", ssd_id="V1")
    with pytest.raises(IntegrityError):
        _update_visit("V2", id=models.CPVisit.objects.get(ssd_id="V1").pk)
    with pytest.raises(IntegrityError):
        _update_visit("V1", plan_id=10**9)
    _update_visit("V1", ssd_id="V0")


def _update_visit(visit: str, **values) -> None:
    """Update a visit, checking its (deferred) foreign keys at once."""
    with transaction.atomic(), connection.cursor() as cursor:
        models.CPVisit.objects.filter(ssd_id=visit).update(**values)
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def test_a_refused_first_import_leaves_every_constraint_and_index(
    partnership, admin_user, tmp_path
):
    """A repeated id, with the unique constraint dropped meanwhile: refused with the
    validator's message, and the dropped constraints come back with the rollback."""
    before = _schema()
    tables = _tables(10)
    tables["ssd_cp_visits"].append(dict(tables["ssd_cp_visits"][3]))
    result = _import(partnership, admin_user, write_extract(tmp_path / "bad", tables), None)
    assert not result.ok
    assert [str(p) for p in result.problems] == [
        "ssd_cp_visits.csv, row 12, column cppv_cp_visit_id: found 'V4'; "
        "expected an id not used by an earlier row"
    ]
    assert models.Person.objects.count() == models.CPVisit.objects.count() == 0
    assert _schema() == before


def test_a_first_import_gives_ids_and_moves_each_sequence_past_them(
    partnership, admin_user, tmp_path
):
    folder = write_extract(tmp_path / "first", _tables(10))
    assert _import(partnership, admin_user, folder, date(2025, 2, 1)).ok
    visits = list(models.CPVisit.objects.order_by("pk"))
    assert [v.ssd_id for v in visits] == [f"V{n}" for n in range(1, 11)]
    assert [v.pk for v in visits] == list(range(visits[0].pk, visits[0].pk + 10))
    assert {v.plan.ssd_id for v in visits} == {"PL1"}
    # A row added afterwards takes the next id, not one of those given.
    later = models.CPVisit.objects.create(
        partnership=partnership,
        ssd_id="V99",
        row_hash=0,
        person=visits[0].person,
        plan=visits[0].plan,
        date=date(2025, 2, 3),
    )
    assert later.pk == visits[-1].pk + 1


def _table_sources(folder) -> dict[str, TableSource]:
    """An extract's files as the importer reads them, by table."""
    return {
        table_name(key): TableSource(path, BY_NAME[table_name(key)].file_name)
        for key, path in sources_from_folder(folder).items()
    }


def _check_and_finish(writer: Writer, sources: dict[str, TableSource]) -> None:
    """As the import does: check every table into the writer, then finish (or abandon)."""
    try:
        validate(sources, None, sink=writer)
        writer.finish()
    except BaseException:
        writer.abandon()
        raise


def test_a_table_written_once_a_first_import_began_stops_giving_ids(
    partnership, admin_user, tmp_path
):
    """The lane finds, once it has locked a table, that another import stored a row there
    since every table was found empty: `NotPipelined`, on which the import is written again
    the usual way (`run._import_locked`)."""
    other = Partnership.objects.create(name="Other partnership")
    sources = _table_sources(write_extract(tmp_path / "first", _tables(10)))
    with transaction.atomic():
        writer = Writer(partnership.pk, sources)
        assert writer.lane is not None  # every table empty: ids given here
        # Before any work is queued the connection is free: the "other import" writes.
        models.Team.objects.create(partnership=other, ssd_id="T-OTHER", row_hash=0)
        with pytest.raises(NotPipelined, match="casedata_team has rows"):
            _check_and_finish(writer, sources)
        transaction.set_rollback(True)
    assert not models.Team.objects.exists()
