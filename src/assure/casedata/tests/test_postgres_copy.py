"""On PostgreSQL rows go in through COPY (`importer.writing`): one COPY left open for a table
with nothing stored, a COPY of the new rows otherwise, cancelled when checking stops part way.

These run only on PostgreSQL (SQLite has no COPY; its path is `test_staged_import`).
"""

from datetime import date

import pytest
from django.db import connection

from assure.casedata import models
from assure.casedata.importer import import_tables, sources_from_folder
from assure.casedata.importer.writing import COPY_ROWS
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
