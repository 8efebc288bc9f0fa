"""Tiny extracts for the tests: a folder of CSV files built from row dicts."""

import csv
from collections.abc import Mapping
from pathlib import Path
from typing import Any

FORENAME = "Zebedee-Quillfeather"  # appears in the extract only; must never be stored


def base_tables() -> dict[str, list[dict[str, Any]]]:
    """A small valid extract touching every table."""
    return {
        "ssd_person": [
            {
                "pers_person_id": "P1",
                "pers_forename": FORENAME,
                "pers_surname": "Smith",
                "pers_sex": "F",
                "pers_ethnicity": "WBRI",
                "pers_dob": "2015-03-17",
                "pers_expected_dob": "",
                "pers_death_date": "",
            },
            {
                "pers_person_id": "P2",
                "pers_forename": "Alex",
                "pers_surname": "Jones",
                "pers_sex": "M",
                "pers_ethnicity": "MWBC",
                "pers_dob": "09/11/2019",
                "pers_expected_dob": "",
                "pers_death_date": "",
            },
            {
                "pers_person_id": "P3",
                "pers_forename": "Sam",
                "pers_surname": "Brown",
                "pers_sex": "U",
                "pers_ethnicity": "",
                "pers_dob": "",
                "pers_expected_dob": "2026-08-30",
                "pers_death_date": "",
            },
        ],
        "ssd_department": [
            {
                "dept_team_id": "T1",
                "dept_team_name": "Safeguarding East",
                "dept_team_parent_id": "",
                "dept_team_parent_name": "",
            },
        ],
        "ssd_professionals": [
            {
                "prof_professional_id": "W1",
                "prof_professional_name": "Worker One",
                "prof_professional_job_title": "Social worker",
                "prof_professional_department": "T1",
            },
            {
                "prof_professional_id": "C1",
                "prof_professional_name": "Chair One",
                "prof_professional_job_title": "IRO",
                "prof_professional_department": "",
            },
        ],
        "ssd_involvements": [
            {
                "invo_involvements_id": "IV1",
                "invo_professional_id": "W1",
                "invo_person_id": "P1",
                "invo_professional_role_id": "SW",
                "invo_professional_team": "T1",
                "invo_involvement_start_date": "2025-01-02",
                "invo_involvement_end_date": "",
            },
        ],
        "ssd_s47_enquiry": [
            {
                "s47e_s47_enquiry_id": "S1",
                "s47e_person_id": "P1",
                "s47e_s47_start_date": "2025-01-06",
                "s47e_s47_end_date": "2025-01-20",
                "s47e_s47_nfa": "N",
                "s47e_s47_completed_by_team": "T1",
                "s47e_s47_completed_by_worker_id": "W1",
            },
        ],
        "assure_strategy_discussions": [
            {
                "stra_strategy_id": "SD1",
                "stra_person_id": "P1",
                "stra_s47_enquiry_id": "S1",
                "stra_date": "2025-01-06",
            },
        ],
        "ssd_cp_plans": [
            {
                "cppl_cp_plan_id": "PL1",
                "cppl_person_id": "P1",
                "cppl_icpc_id": "I1",
                "cppl_cp_plan_start_date": "2025-01-20",
                "cppl_cp_plan_end_date": "",
                "cppl_cp_plan_initial_category": "NEG",
                "cppl_cp_plan_latest_category": "emo",
            },
        ],
        "ssd_initial_cp_conference": [
            {
                "icpc_icpc_id": "I1",
                "icpc_person_id": "P1",
                "icpc_icpc_meeting_id": "M1",
                "icpc_s47_enquiry_id": "S1",
                "icpc_cp_plan_id": "PL1",
                "icpc_icpc_transfer_in": "N",
                "icpc_icpc_target_date": "2025-01-27",
                "icpc_icpc_date": "2025-01-20",
                "icpc_icpc_outcome_cp_flag": "Y",
                "icpc_icpc_team": "T1",
                "icpc_icpc_worker_id": "W1",
            },
        ],
        "ssd_cp_reviews": [
            {
                "cppr_cp_review_id": "R1",
                "cppr_person_id": "P1",
                "cppr_cp_plan_id": "PL1",
                "cppr_cp_review_due": "2025-04-20",
                "cppr_cp_review_date": "2025-04-14",
                "cppr_cp_review_meeting_id": "M2",
                "cppr_cp_review_outcome_continue_cp": "true",
                "cppr_cp_review_quorate": "1",
            },
        ],
        "assure_conference_chairs": [
            {"chai_meeting_id": "M1", "chai_chair_professional_id": "C1"},
            {"chai_meeting_id": "M2", "chai_chair_professional_id": "C1"},
        ],
        "ssd_cp_visits": [
            {
                "cppv_cp_visit_id": "V1",
                "cppv_person_id": "P1",
                "cppv_cp_plan_id": "PL1",
                "cppv_cp_visit_date": "2025-01-27",
                "cppv_cp_visit_seen": "Y",
                "cppv_cp_visit_seen_alone": "N",
            },
        ],
        "assure_core_groups": [
            {
                "cogr_core_group_id": "CG1",
                "cogr_person_id": "P1",
                "cogr_cp_plan_id": "PL1",
                "cogr_meeting_date": "2025-01-30",
                "cogr_recorded_date": "",
            },
        ],
        "assure_midway_reviews": [
            {
                "midw_id": "MW1",
                "midw_person_id": "P1",
                "midw_cp_plan_id": "PL1",
                "midw_date": "2025-03-01",
                "midw_chair_professional_id": "C1",
            },
        ],
        "assure_plan_actions": [
            {
                "plac_action_id": "A1",
                "plac_cp_plan_id": "PL1",
                "plac_person_id": "P1",
                "plac_outcome": "Secret outcome text",
                "plac_risk": "",
                "plac_timeframe": "2 weeks",
                "plac_responsible": "Mum",
            },
        ],
        "assure_legal_planning": [
            {
                "lgpl_id": "L1",
                "lgpl_person_id": "P2",
                "lgpl_requested_date": "2025-02-01",
                "lgpl_route": "meeting",
                "lgpl_decision_date": "2025-02-10",
                "lgpl_decision": "pre_proceedings",
                "lgpl_recorded_date": "2025-02-12",
                "lgpl_threshold_disagreement": "N",
            },
        ],
        "ssd_pre_proceedings": [
            {
                "prep_table_id": "PP1",
                "prep_person_id": "P2",
                "prep_pre_pro_decision_date": "2025-02-10",
                "prep_pre_pro_letter_date": "2025-02-14",
                "prep_initial_pre_pro_meeting_date": "",
                "prep_pre_pro_outcome": "",
                "prep_agree_stepdown_issue_date": "",
            },
        ],
        "assure_plo_filing": [
            {
                "plof_table_id": "PP1",
                "plof_letter_filed_date": "2025-02-20",
                "plof_meeting_filed_date": "",
            },
        ],
        "assure_viability_assessments": [
            {
                "viab_id": "VA1",
                "viab_person_id": "P2",
                "viab_requested_date": "2025-02-11",
                "viab_completed_date": "2025-02-20",
                "viab_qa_date": "",
                "viab_outcome": "positive",
                "viab_team": "Fostering",
            },
        ],
        "assure_case_flags": [
            {
                "flag_id": "F1",
                "flag_person_id": "P1",
                "flag_code": "CSAFE",
                "flag_start_date": "2025-01-06",
                "flag_end_date": "",
                "flag_last_review_date": "",
            },
        ],
        "assure_supervision": [
            {
                "supe_id": "SU1",
                "supe_professional_id": "W1",
                "supe_date": "2025-02-03",
                "supe_type": "formal",
                "supe_welfare_discussed": "Y",
            },
        ],
        "assure_case_oversight": [
            {
                "over_id": "OV1",
                "over_person_id": "P1",
                "over_date": "2025-02-03",
                "over_professional_id": "W1",
            },
        ],
    }


def write_extract(folder: Path, tables: Mapping[str, list[dict[str, Any]] | str]) -> Path:
    """Write each table as `<name>.csv` (a string is written as the file's text)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        path = folder / (name if "." in name else f"{name}.csv")
        if isinstance(rows, str):
            path.write_text(rows, encoding="utf-8")
            continue
        columns: dict[str, None] = {}
        for row in rows:
            columns.update(dict.fromkeys(row))
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(columns))
            writer.writeheader()
            writer.writerows(rows)
    return folder
