"""On SQLite an import checks and stages with no write lock, then copies the changes in.

The scenarios of `test_import` are run again outside a test transaction (as a real import
runs), so that they take the staged path; the tests there run inside one, so take the path
that writes everything under the lock.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import polars as pl
import pytest
from django.db import IntegrityError, connection, transaction

from assure.accounts.models import Partnership
from assure.casedata import models
from assure.casedata.importer import writing
from assure.casedata.importer.reading import sources_from_folder
from assure.casedata.importer.run import import_tables
from assure.casedata.importer.staging import (
    NotTransferable,
    Staging,
    can_stage,
    casedata_indexed_models,
)
from assure.casedata.synth import generate
from assure.casedata.tests import test_import as scenarios
from assure.casedata.tests.extracts import base_tables, write_extract
from assure.core.viewer import Viewer
from assure.ops.tempfiles import temp_dir

staged = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _takes_the_staged_path():
    """On SQLite, the staged path; PostgreSQL has none, so there these are the same scenarios
    run outside a test transaction (the partnership row locked for the swap)."""
    assert can_stage() == (connection.vendor == "sqlite")
    before = set(temp_dir().iterdir())
    yield
    assert set(temp_dir().iterdir()) == before  # the staging database is removed


@staged
def test_first_import_writes_every_table(partnership, admin_user, extract):
    scenarios.test_first_import_writes_every_table_and_an_audit_event(
        partnership, admin_user, extract
    )


@staged
def test_a_newer_snapshot_replaces_the_older(partnership, admin_user, extract, tmp_path):
    scenarios.test_a_newer_snapshot_replaces_the_older(partnership, admin_user, extract, tmp_path)


@staged
def test_removed_people_take_their_records(partnership, admin_user, extract, tmp_path):
    scenarios.test_removed_people_take_their_records_and_missing_tables_become_unknown(
        partnership, admin_user, extract, tmp_path
    )


@staged
def test_a_bad_row_at_the_end_leaves_the_database_as_it_was(
    partnership, admin_user, extract, tmp_path
):
    scenarios.test_a_bad_row_at_the_end_leaves_the_database_as_it_was(
        partnership, admin_user, extract, tmp_path
    )


@staged
def test_a_bad_row_after_written_rows_writes_nothing(partnership, admin_user, extract, tmp_path):
    scenarios.test_a_bad_row_after_written_rows_of_a_first_import_writes_nothing(
        partnership, admin_user, extract, tmp_path
    )


@staged
def test_the_same_snapshot_again_changes_nothing(partnership, admin_user, extract):
    scenarios.test_importing_the_same_snapshot_again_changes_nothing(
        partnership, admin_user, extract
    )


@staged
def test_an_older_extract_is_refused(partnership, admin_user, extract, tmp_path):
    scenarios.test_an_older_extract_is_refused(partnership, admin_user, extract, tmp_path)


@staged
def test_new_rows_refer_to_new_parents_by_their_staged_ids(partnership, admin_user, tmp_path):
    """A second partnership's import between two of this one's: ids given when staging follow
    every row already stored, and children point at their own parents."""
    from assure.accounts.models import Partnership

    other = Partnership.objects.create(name="Portsmouth Safeguarding Children Partnership")
    folder = write_extract(tmp_path / "x", base_tables())
    assert import_tables(other, sources_from_folder(folder), actor=Viewer.of(admin_user)).ok
    result = import_tables(partnership, sources_from_folder(folder), actor=Viewer.of(admin_user))
    assert result.ok
    for plan in models.CPPlan.objects.filter(partnership=partnership).select_related("person"):
        assert plan.person.partnership_id == partnership.pk
    assert models.Person.objects.filter(partnership=partnership).count() == len(
        base_tables()["ssd_person"]
    )


def _casedata_indexes() -> set[str]:
    tables = {m._meta.db_table for m in casedata_indexed_models()}
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, tbl_name FROM sqlite_master WHERE type = 'index'")
        return {name for name, table in cursor.fetchall() if table in tables}


sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="indexes are built after the swap on SQLite only"
)


@sqlite_only
@staged
def test_a_first_import_builds_the_indexes_it_dropped_after_its_swap(
    partnership, admin_user, tmp_path, monkeypatch
):
    """Into empty tables rows go without secondary indexes; each is built again after."""
    monkeypatch.setattr(writing, "DEFER_INDEXES_ROWS", 1)
    before = _casedata_indexes()
    assert "cd_cppv_plan_date" in before
    folder = write_extract(tmp_path / "x", base_tables())
    result = import_tables(partnership, sources_from_folder(folder), actor=Viewer.of(admin_user))
    assert result.ok
    assert _casedata_indexes() == before
    assert models.CPVisit.objects.filter(partnership=partnership).count() == len(
        base_tables()["ssd_cp_visits"]
    )


@sqlite_only
@staged
def test_indexes_an_import_left_unbuilt_are_built_by_the_next(partnership, admin_user, tmp_path):
    """An import that stopped between its swap and building the indexes (a crash) leaves
    tables without them: the next import builds them first, as the models declare them."""
    before = _casedata_indexes()
    with connection.cursor() as cursor:
        cursor.execute('DROP INDEX "cd_cppv_plan_date"')
        cursor.execute('DROP INDEX "casedata_planaction_plan_id_a8790de6"')
    folder = write_extract(tmp_path / "x", base_tables())
    result = import_tables(partnership, sources_from_folder(folder), actor=Viewer.of(admin_user))
    assert result.ok
    assert _casedata_indexes() == before


# A first import copies each table whole (SQLite's transfer optimisation, foreign keys off for
# its swap alone); any other import copies its changes in with the foreign keys checked.

COPIED_WHOLE = 'INSERT INTO main."casedata_person" SELECT * FROM assure_staging.'


@contextmanager
def _statements() -> Iterator[list[str]]:
    """The SQL run on Django's connection meanwhile."""
    seen: list[str] = []

    def observe(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(observe):
        yield seen


def _case_rows() -> dict[str, list[tuple[Any, ...]]]:
    """Every case data table's rows in order of id, each value with its storage class."""
    rows = {}
    with connection.cursor() as cursor:
        for model in casedata_indexed_models():
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"PRAGMA table_info({table})")
            names = [connection.ops.quote_name(row[1]) for row in cursor.fetchall()]
            selected = ", ".join(names + [f"typeof({n})" for n in names])
            cursor.execute(f"SELECT {selected} FROM {table} ORDER BY id")  # noqa: S608
            rows[model._meta.db_table] = cursor.fetchall()
    return rows


def _foreign_keys_enforced() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA foreign_keys")
        return bool(cursor.fetchone()[0])


class _Undo(Exception):
    pass


@sqlite_only
@pytest.mark.django_db(transaction=True, reset_sequences=True)
def test_a_first_import_copied_whole_stores_what_one_written_row_by_row_does(
    partnership, admin_user, tmp_path
):
    """The same values, storage classes (dates text, flags 0/1, NULLs) and ids as the import
    that writes row by row under the lock (inside a transaction), here undone after."""
    folder = tmp_path / "synth"
    generate(folder, 60, 3, date(2026, 10, 31))
    row_by_row = {}
    try:
        with transaction.atomic():
            assert import_tables(partnership, sources_from_folder(folder), actor=None).ok
            row_by_row = _case_rows()
            raise _Undo
    except _Undo:
        pass
    assert not models.Person.objects.exists()
    with _statements() as seen:
        result = import_tables(partnership, sources_from_folder(folder), actor=None)
    assert result.ok
    assert any(s.startswith(COPIED_WHOLE) for s in seen)
    assert sum(len(rows) for rows in row_by_row.values()) > 1000
    assert _case_rows() == row_by_row
    assert _foreign_keys_enforced()


@sqlite_only
@staged
def test_foreign_keys_are_enforced_again_after_a_swap_that_copied_whole(
    partnership, admin_user, extract
):
    result = import_tables(partnership, sources_from_folder(extract), actor=None)
    assert result.ok
    assert _foreign_keys_enforced()
    with pytest.raises(IntegrityError), transaction.atomic():
        models.CPVisit.objects.filter(partnership=partnership).update(plan_id=999_999)
    assert not models.CPVisit.objects.filter(plan_id=999_999).exists()


@sqlite_only
@staged
def test_after_a_swap_that_copied_whole_new_rows_take_ids_after_the_copied_ones(
    partnership, extract
):
    """The staged copies have no AUTOINCREMENT; the copy still records each table's highest
    id, so an id is never given twice (even after its row is deleted)."""
    assert import_tables(partnership, sources_from_folder(extract), actor=None).ok
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, seq FROM sqlite_sequence WHERE name LIKE 'casedata_%'")
        recorded = dict(cursor.fetchall())
    for model in casedata_indexed_models():
        highest = model._default_manager.order_by("-id").values_list("id", flat=True).first()
        if highest is not None:
            assert recorded[model._meta.db_table] >= highest
    last = models.CPVisit.objects.order_by("-id").first()
    assert last is not None
    gone = last.pk
    last.delete()
    last.pk = None
    last.ssd_id = "again"
    last.save()
    assert last.pk > gone


@sqlite_only
@staged
def test_a_broken_reference_copied_whole_is_never_committed(partnership):
    """The swap checks the references of what it copied with foreign keys off."""
    with Staging(partnership) as staging:
        staging.begin()
        assert staging.transfer
        nowhere = partnership.pk + 1000  # no such partnership
        _stage(staging, models.Person, _PERSON, [[1], [nowhere], ["P1"], [0], ["F"], [""]])
        staging.commit()
        with pytest.raises(IntegrityError, match=r"casedata_person id 1 has .partnership_id. 1\d+"):
            _swap_whole(staging, [models.Person])
    assert not models.Person.objects.exists()
    assert _foreign_keys_enforced()


def _swap_whole(staging: Staging, copied: list[type[Any]]) -> None:
    with staging.transferring(), transaction.atomic():
        for model in copied:
            staging.copy_whole(model)
        staging.check_copied()


def _stage(staging: Staging, model: type[Any], names: list[str], rows: list[Any]) -> None:
    """Stage a first import's rows of a table, all of them (as the `Writer` does)."""
    staging.insert(model, "new", names, rows)
    staging.staged_all(model)


_PERSON = ["id", "partnership_id", "ssd_id", "row_hash", "sex", "ethnicity"]


def _unique_indexes(schema: str, table: str) -> list[tuple[str, ...]]:
    """The columns of each of a table's unique indexes."""
    with connection.cursor() as cursor:
        cursor.execute(
            'SELECT name FROM pragma_index_list(%s, %s) WHERE "unique" ORDER BY name',
            [table, schema],
        )
        names = [name for (name,) in cursor.fetchall()]
        found = []
        for name in names:
            cursor.execute(
                "SELECT name FROM pragma_index_info(%s, %s) ORDER BY seqno", [name, schema]
            )
            found.append(tuple(column for (column,) in cursor.fetchall()))
    return found


@sqlite_only
@staged
def test_a_first_imports_copy_of_a_table_has_its_unique_indexes_once_staged(partnership):
    """SQLite copies a table whole only into one whose unique indexes the copy has too."""
    with Staging(partnership) as staging:
        staging.begin()
        staging.insert(
            models.Person, "new", _PERSON, [[1], [partnership.pk], ["P1"], [0], ["F"], [""]]
        )
        staging.staged_all(models.Person)
        staging.commit()
        copy = _unique_indexes("assure_staging", "casedata_person__new")
    assert copy == _unique_indexes("main", "casedata_person") == [("partnership_id", "ssd_id")]


@sqlite_only
@staged
def test_a_table_staged_without_its_unique_indexes_is_not_copied_whole(partnership):
    """SQLite would copy it row by row, with foreign keys off: the swap is undone, for the
    import to swap again the usual way."""
    with Staging(partnership) as staging:
        staging.begin()
        staging.insert(
            models.Person, "new", _PERSON, [[1], [partnership.pk], ["P1"], [0], ["F"], [""]]
        )
        staging.commit()
        with pytest.raises(NotTransferable, match="casedata_person"):
            _swap_whole(staging, [models.Person])
    assert not models.Person.objects.exists()
    assert _foreign_keys_enforced()


_FLAG = ["id", "partnership_id", "ssd_id", "row_hash", "person_id", "code", "start_date"]


@sqlite_only
@staged
@pytest.mark.parametrize("person_id", [2, None], ids=["to no staged row", "to no row"])
def test_a_reference_to_no_row_copied_whole_is_never_committed(partnership, person_id):
    """References are checked in the scratch file: to a staged row, or (nothing staged for
    the table it refers to) to nothing at all."""
    pk = partnership.pk
    with Staging(partnership) as staging:
        staging.begin()
        copied: list[type[Any]] = [models.CaseFlag]
        if person_id is not None:
            copied.insert(0, models.Person)
            _stage(staging, models.Person, _PERSON, [[1], [pk], ["P1"], [0], ["F"], [""]])
        flag = [[1], [pk], ["F1"], [0], [person_id or 1], ["CSE"], ["2026-01-05"]]
        _stage(staging, models.CaseFlag, _FLAG, flag)
        staging.commit()
        with pytest.raises(IntegrityError, match=r"casedata_caseflag id 1 has .person_id."):
            _swap_whole(staging, copied)
    assert not models.Person.objects.exists()
    assert not models.CaseFlag.objects.exists()


@sqlite_only
@staged
def test_rows_of_a_partnership_removed_meanwhile_are_never_committed(partnership):
    with Staging(partnership) as staging:
        staging.begin()
        rows = [[1], [partnership.pk], ["P1"], [0], ["F"], [""]]
        _stage(staging, models.Person, _PERSON, rows)
        staging.commit()
        Partnership.objects.filter(pk=partnership.pk).delete()
        with pytest.raises(IntegrityError, match="no longer exists"):
            _swap_whole(staging, [models.Person])
    assert not models.Person.objects.exists()


@sqlite_only
@staged
def test_references_that_hold_are_copied_whole(partnership):
    """The control of the test above: the same rows, the flag's person staged."""
    pk = partnership.pk
    with Staging(partnership) as staging:
        staging.begin()
        _stage(staging, models.Person, _PERSON, [[1], [pk], ["P1"], [0], ["F"], [""]])
        flag = [[1], [pk], ["F1"], [0], [1], ["CSE"], ["2026-01-05"]]
        _stage(staging, models.CaseFlag, _FLAG, flag)
        staging.commit()
        _swap_whole(staging, [models.Person, models.CaseFlag])
    assert models.CaseFlag.objects.get().person == models.Person.objects.get()


@sqlite_only
@staged
def test_an_error_in_the_middle_of_the_swap_writes_nothing_and_enforces_foreign_keys_again(
    partnership, extract
):
    """The swap fails after the tables are copied, when the snapshot is recorded."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TRIGGER refuse_snapshots BEFORE INSERT ON casedata_importsnapshot "
            "BEGIN SELECT RAISE(ABORT, 'no snapshots today'); END"
        )
    try:
        with _statements() as seen, pytest.raises(IntegrityError, match="no snapshots today"):
            import_tables(partnership, sources_from_folder(extract), actor=None)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER refuse_snapshots")
    assert any(s.startswith(COPIED_WHOLE) for s in seen)
    assert _foreign_keys_enforced()
    assert all(not rows for rows in _case_rows().values())
    assert not models.ImportSnapshot.objects.exists()


@sqlite_only
@staged
def test_an_import_into_tables_with_rows_checks_each_row_as_it_copies(
    partnership, admin_user, tmp_path, monkeypatch
):
    """Another partnership's rows, then a re-import: neither is copied whole; the empty
    tables' indexes (those the other partnership's extract lacked) are built after."""
    from assure.accounts.models import Partnership

    monkeypatch.setattr(writing, "DEFER_INDEXES_ROWS", 1)

    other = Partnership.objects.create(name="Portsmouth Safeguarding Children Partnership")
    without_visits = {k: v for k, v in base_tables().items() if k != "ssd_cp_visits"}
    first = write_extract(tmp_path / "first", without_visits)
    assert import_tables(other, sources_from_folder(first), actor=None).ok
    indexes = _casedata_indexes()
    changed = base_tables()
    changed["ssd_person"][0]["pers_sex"] = "M"
    extracts = {
        "another partnership's rows": write_extract(tmp_path / "x", base_tables()),
        "a re-import": write_extract(tmp_path / "y", changed),
    }
    for attempt, folder in extracts.items():
        with _statements() as seen:
            result = import_tables(partnership, sources_from_folder(folder), actor=None)
        assert result.ok, attempt
        assert result.summary["added" if attempt != "a re-import" else "changed"], attempt
        assert not any("foreign_key_check" in s for s in seen), attempt
        assert not any(s.startswith(COPIED_WHOLE) for s in seen), attempt
        visits_indexed = any(s.startswith('CREATE INDEX IF NOT EXISTS "cd_cppv') for s in seen)
        assert visits_indexed == (attempt != "a re-import")  # built after: the table was empty
        assert _foreign_keys_enforced()
    assert _casedata_indexes() == indexes
    assert models.CPVisit.objects.filter(partnership=partnership).count() == len(
        base_tables()["ssd_cp_visits"]
    )
    for plan in models.CPPlan.objects.filter(partnership=partnership).select_related("person"):
        assert plan.person.partnership_id == partnership.pk


@sqlite_only
@staged
def test_rows_are_staged_from_lists_or_polars_series_alike(partnership):
    names = ["id", "partnership_id", "ssd_id", "row_hash", "sex", "ethnicity", "birth_month"]
    with Staging(partnership) as staging:
        staging.begin()
        staging.insert(
            models.Person,
            "new",
            names,
            [[1], [partnership.pk], ["P1"], [7], ["F"], [""], ["2015-03-01"]],
        )
        staging.insert(
            models.Person,
            "new",
            names,
            [
                pl.Series([2]),
                pl.Series([partnership.pk]),
                pl.Series(["P2"]),
                pl.Series([8]),
                pl.Series(["M"]),
                pl.Series(["WBRI"]),
                pl.Series([date(2019, 11, 1)]),
            ],
        )
        staging.staged_all(models.Person)
        staging.commit()
        with staging.transferring(), transaction.atomic():
            staging.copy_whole(models.Person)
            staging.check_references([models.Person._meta.db_table])
    rows = _case_rows()["casedata_person"]
    assert [row[:9] for row in rows] == [
        (1, "P1", 7, "F", "", date(2015, 3, 1), None, None, partnership.pk),
        (2, "P2", 8, "M", "WBRI", date(2019, 11, 1), None, None, partnership.pk),
    ]
    assert {row[14] for row in rows} == {"text"}  # birth_month, stored as text
