"""Every problem in every file is reported in one go, and nothing is written."""

import pytest

from assure.casedata.importer.run import import_tables
from assure.casedata.models import ImportSnapshot, Person
from assure.casedata.tests.extracts import base_tables


@pytest.mark.django_db
def test_problems_in_several_files_are_all_reported(partnership) -> None:
    tables = base_tables()
    tables["ssd_person"][0]["pers_dob"] = "31/02/2015"
    tables["ssd_cp_plans"][0]["cppl_cp_plan_initial_category"] = "XYZ"
    tables["assure_core_groups"][-1]["cogr_meeting_date"] = "not a date"
    result = import_tables(partnership, tables, actor=None)
    assert not result.ok
    files = {problem.file for problem in result.problems}
    assert {"ssd_person.csv", "ssd_cp_plans.csv", "assure_core_groups.csv"} <= files, files
    assert Person.objects.count() == 0
    assert ImportSnapshot.objects.count() == 0
