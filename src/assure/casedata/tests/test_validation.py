"""Each kind of problem in an extract is reported with file, row, column, value and expectation."""

import pytest

from assure.casedata import models
from assure.casedata.importer.reading import sources_from_folder
from assure.casedata.importer.run import import_tables
from assure.casedata.tests.extracts import write_extract
from assure.core.viewer import Viewer


def run(partnership, folder, admin_user):
    return import_tables(partnership, sources_from_folder(folder), actor=Viewer.of(admin_user))


def problems_for(partnership, admin_user, tmp_path, tables):
    result = run(partnership, write_extract(tmp_path / "bad", tables), admin_user)
    assert not result.ok
    assert models.Person.objects.count() == 0
    assert models.ImportSnapshot.objects.count() == 0
    return result.problems


def edit(tables, table, index, **values):
    tables[table][index].update(values)
    return tables


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("table", "changes", "file", "row", "column", "value", "expected_part"),
    [
        (
            "ssd_person",
            {"pers_dob": "2015-13-01"},
            "ssd_person.csv",
            2,
            "pers_dob",
            "2015-13-01",
            "YYYY-MM-DD",
        ),
        (
            "ssd_person",
            {"pers_death_date": "31/02/2020"},
            "ssd_person.csv",
            2,
            "pers_death_date",
            "31/02/2020",
            "DD/MM/YYYY",
        ),
        (
            "ssd_cp_visits",
            {"cppv_cp_visit_seen": "maybe"},
            "ssd_cp_visits.csv",
            2,
            "cppv_cp_visit_seen",
            "maybe",
            "Y or N",
        ),
        (
            "ssd_cp_plans",
            {"cppl_cp_plan_initial_category": "XYZ"},
            "ssd_cp_plans.csv",
            2,
            "cppl_cp_plan_initial_category",
            "XYZ",
            "NEG, PHY, SAB, EMO, MUL",
        ),
        (
            "assure_legal_planning",
            {"lgpl_route": "phone"},
            "assure_legal_planning.csv",
            2,
            "lgpl_route",
            "phone",
            "meeting, declined",
        ),
        (
            "assure_legal_planning",
            {"lgpl_decision": "maybe"},
            "assure_legal_planning.csv",
            2,
            "lgpl_decision",
            "maybe",
            "pre_proceedings",
        ),
        (
            "assure_viability_assessments",
            {"viab_outcome": "great"},
            "assure_viability_assessments.csv",
            2,
            "viab_outcome",
            "great",
            "withdrawn",
        ),
        (
            "ssd_cp_visits",
            {"cppv_person_id": "P99"},
            "ssd_cp_visits.csv",
            2,
            "cppv_person_id",
            "P99",
            "ssd_person.csv",
        ),
        (
            "ssd_cp_visits",
            {"cppv_cp_plan_id": "PL99"},
            "ssd_cp_visits.csv",
            2,
            "cppv_cp_plan_id",
            "PL99",
            "ssd_cp_plans.csv",
        ),
        (
            "ssd_initial_cp_conference",
            {"icpc_s47_enquiry_id": "S99"},
            "ssd_initial_cp_conference.csv",
            2,
            "icpc_s47_enquiry_id",
            "S99",
            "ssd_s47_enquiry.csv",
        ),
        (
            "assure_conference_chairs",
            {"chai_meeting_id": "M99"},
            "assure_conference_chairs.csv",
            2,
            "chai_meeting_id",
            "M99",
            "meeting id",
        ),
        (
            "assure_plo_filing",
            {"plof_table_id": "PP99"},
            "assure_plo_filing.csv",
            2,
            "plof_table_id",
            "PP99",
            "ssd_pre_proceedings.csv",
        ),
        (
            "ssd_cp_plans",
            {"cppl_icpc_id": "I99"},
            "ssd_cp_plans.csv",
            2,
            "cppl_icpc_id",
            "I99",
            "ssd_initial_cp_conference.csv",
        ),
        (
            "ssd_cp_plans",
            {"cppl_cp_plan_end_date": "2025-01-19"},
            "ssd_cp_plans.csv",
            2,
            "cppl_cp_plan_end_date",
            "2025-01-19",
            "plan cannot end before it starts",
        ),
        (
            "ssd_initial_cp_conference",
            {"icpc_icpc_date": "2025-01-05"},
            "ssd_initial_cp_conference.csv",
            2,
            "icpc_icpc_date",
            "2025-01-05",
            "before its section 47 enquiry started",
        ),
        (
            "assure_core_groups",
            {"cogr_meeting_date": "2025-01-19"},
            "assure_core_groups.csv",
            2,
            "cogr_meeting_date",
            "2025-01-19",
            "before its plan started",
        ),
        (
            "ssd_cp_reviews",
            {"cppr_cp_review_date": "2025-01-01"},
            "ssd_cp_reviews.csv",
            2,
            "cppr_cp_review_date",
            "2025-01-01",
            "before its plan started",
        ),
        (
            "assure_viability_assessments",
            {"viab_completed_date": "2025-02-01"},
            "assure_viability_assessments.csv",
            2,
            "viab_completed_date",
            "2025-02-01",
            "completed before it was requested",
        ),
        (
            "assure_case_flags",
            {"flag_end_date": "2024-12-31"},
            "assure_case_flags.csv",
            2,
            "flag_end_date",
            "2024-12-31",
            "flag cannot end before it starts",
        ),
        (
            "ssd_cp_visits",
            {"cppv_cp_visit_date": ""},
            "ssd_cp_visits.csv",
            2,
            "cppv_cp_visit_date",
            "",
            "required",
        ),
    ],
)
def test_problem_is_reported_and_nothing_written(
    partnership,
    admin_user,
    tmp_path,
    tables,
    table,
    changes,
    file,
    row,
    column,
    value,
    expected_part,
):
    problems = problems_for(partnership, admin_user, tmp_path, edit(tables, table, 0, **changes))
    assert len(problems) == 1, [str(p) for p in problems]
    problem = problems[0]
    assert (problem.file, problem.row, problem.column, problem.value) == (file, row, column, value)
    assert expected_part in problem.expected
    assert file in str(problem)
    assert f"row {row}" in str(problem)


@pytest.mark.django_db
def test_row_number_is_the_line_in_the_file(partnership, admin_user, tmp_path, tables):
    tables["ssd_person"][2]["pers_dob"] = "yesterday"
    (problem,) = problems_for(partnership, admin_user, tmp_path, tables)
    assert problem.row == 4  # header on line 1, third data row on line 4


@pytest.mark.django_db
def test_duplicate_id(partnership, admin_user, tmp_path, tables):
    tables["ssd_person"].append(dict(tables["ssd_person"][0]))
    (problem,) = problems_for(partnership, admin_user, tmp_path, tables)
    assert (problem.file, problem.row, problem.column, problem.value) == (
        "ssd_person.csv",
        5,
        "pers_person_id",
        "P1",
    )


@pytest.mark.django_db
def test_missing_required_column(partnership, admin_user, tmp_path, tables):
    for row in tables["ssd_cp_plans"]:
        del row["cppl_cp_plan_start_date"]
    (problem,) = problems_for(partnership, admin_user, tmp_path, tables)
    assert (problem.file, problem.row, problem.column) == (
        "ssd_cp_plans.csv",
        1,
        "cppl_cp_plan_start_date",
    )
    assert "a column named" in problem.expected


@pytest.mark.django_db
def test_missing_ssd_person(partnership, admin_user, tmp_path):
    tables = {"ssd_department": [{"dept_team_id": "T1"}]}
    problems = problems_for(partnership, admin_user, tmp_path, tables)
    assert [(p.file, p.row) for p in problems] == [("ssd_person.csv", None)]


@pytest.mark.django_db
def test_reference_to_a_missing_file(partnership, admin_user, tmp_path, tables):
    del tables["ssd_cp_plans"]
    problems = problems_for(partnership, admin_user, tmp_path, tables)
    assert ("ssd_cp_visits.csv", "cppv_cp_plan_id") in {(p.file, p.column) for p in problems}
    assert all("ssd_cp_plans.csv" in p.expected for p in problems)


@pytest.mark.django_db
def test_problems_are_capped_with_a_count_of_the_rest(partnership, admin_user, tmp_path, tables):
    tables["ssd_person"] = [
        {"pers_person_id": f"X{i}", "pers_dob": "bad"} for i in range(250)
    ] + tables["ssd_person"]
    result = import_tables(
        partnership,
        sources_from_folder(write_extract(tmp_path / "x", tables)),
        actor=Viewer.of(admin_user),
    )
    assert not result.ok
    assert len(result.problems) == 200
    assert result.problem_count == 250
    assert result.more_problems == 50


@pytest.mark.django_db
def test_flags_and_dates_in_every_accepted_form(partnership, admin_user, tmp_path, tables):
    tables["ssd_cp_visits"] = [
        {
            "cppv_cp_visit_id": f"V{i}",
            "cppv_person_id": "P1",
            "cppv_cp_plan_id": "PL1",
            "cppv_cp_visit_date": day,
            "cppv_cp_visit_seen": flag,
            "cppv_cp_visit_seen_alone": "",
        }
        for i, (day, flag) in enumerate(
            [
                ("2025-02-01", "Y"),
                ("02/02/2025", "n"),
                ("2025-02-03 00:00:00.000", "1"),
                ("2025-02-04", "0"),
                ("2025-02-05", "TRUE"),
                ("2025-02-06", "false"),
            ]
        )
    ]
    result = import_tables(
        partnership,
        sources_from_folder(write_extract(tmp_path / "x", tables)),
        actor=Viewer.of(admin_user),
    )
    assert result.ok, [str(p) for p in result.problems]
    seen = dict(models.CPVisit.objects.values_list("ssd_id", "seen"))
    assert seen == {"V0": True, "V1": False, "V2": True, "V3": False, "V4": True, "V5": False}
    assert models.CPVisit.objects.get(ssd_id="V1").date.isoformat() == "2025-02-02"
    assert models.CPVisit.objects.get(ssd_id="V0").seen_alone is None
