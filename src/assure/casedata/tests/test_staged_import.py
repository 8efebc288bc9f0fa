"""On SQLite an import checks and stages with no write lock, then copies the changes in.

The scenarios of `test_import` are run again outside a test transaction (as a real import
runs), so that they take the staged path; the tests there run inside one, so take the path
that writes everything under the lock.
"""

import pytest
from django.db import connection

from assure.casedata import models
from assure.casedata.importer import import_tables, sources_from_folder, writing
from assure.casedata.importer.staging import can_stage, casedata_indexed_models
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
    assert "cd_cppv_p_date" in before
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
        cursor.execute('DROP INDEX "cd_cppv_p_date"')
        cursor.execute('DROP INDEX "casedata_planaction_plan_id_a8790de6"')
    folder = write_extract(tmp_path / "x", base_tables())
    result = import_tables(partnership, sources_from_folder(folder), actor=Viewer.of(admin_user))
    assert result.ok
    assert _casedata_indexes() == before
