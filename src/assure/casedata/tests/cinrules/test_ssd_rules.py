"""The DfE's rules over SSD extracts (`cinrules.ssd`): reported by code, not refused."""

import copy

import pytest

from assure.casedata.importer.reading import sources_from_folder
from assure.casedata.importer.run import import_tables
from assure.casedata.tests.extracts import base_tables, write_extract
from assure.core.viewer import Viewer


def _import(partnership, admin_user, tables, folder):
    return import_tables(
        partnership, sources_from_folder(write_extract(folder, tables)), actor=Viewer.of(admin_user)
    )


@pytest.mark.django_db
def test_a_clean_extract_has_no_findings(partnership, admin_user, tmp_path):
    result = _import(partnership, admin_user, base_tables(), tmp_path / "x")
    assert result.ok
    assert not [w for w in result.warnings if w.startswith("DfE")]


@pytest.mark.django_db
def test_overlapping_plans_and_a_weekend_conference_are_reported_with_their_codes(
    partnership, admin_user, tmp_path
):
    tables = base_tables()
    second = copy.deepcopy(tables["ssd_cp_plans"][0])
    second |= {
        "cppl_cp_plan_id": "PL2",
        "cppl_icpc_id": "",
        "cppl_cp_plan_start_date": "2025-03-01",
    }
    tables["ssd_cp_plans"].append(second)
    tables["ssd_initial_cp_conference"][0]["icpc_icpc_date"] = "2025-01-25"  # a Saturday
    tables["ssd_cp_plans"][0]["cppl_cp_plan_start_date"] = "2025-01-25"
    result = _import(partnership, admin_user, tables, tmp_path / "x")
    assert result.ok, result.problems
    found = sorted(w.split(":")[0] for w in result.warnings if w.startswith("DfE"))
    assert found == [
        "DfE rule 8875, child P1",
        "DfE rule 8935, child P1",
        "DfE rule 8940, child P1",
    ]
    assert "The child's child protection plans overlap" in " ".join(result.warnings)
    assert result.snapshot is not None
    assert any("8940" in w for w in result.snapshot.summary["warnings"])
