"""Tiny hand-made extracts for the indicator tests, loaded through the real importer.

    case = Case()
    case.person("P1")
    case.plan("CPP1", "P1", "2025-12-19")
    case.load(partnership)

Every contract table is written (empty but for its header when nothing was added), unless
named in `load(missing=...)`, so an indicator sees exactly the tables a test means it to.
"""

from __future__ import annotations

import csv
import tempfile
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import time_machine

from assure.accounts.models import Partnership
from assure.casedata.contract import TABLES
from assure.casedata.importer.run import import_tables
from assure.indicators.engine import Obligation, Result, compute


class Case:
    """Rows for a small extract, added table by table with only the columns a test needs."""

    def __init__(self) -> None:
        self.tables: dict[str, list[dict[str, str]]] = defaultdict(list)
        self._people: set[str] = set()
        self._professionals: set[str] = set()

    def add(self, table: str, **row: Any) -> None:
        self.tables[table].append({k: "" if v is None else str(v) for k, v in row.items()})

    # ---- people and staff -------------------------------------------------------------------

    def person(
        self, pid: str, dob: str = "2015-06-01", expected: str = "", death: str = ""
    ) -> None:
        self._people.add(pid)
        self.add(
            "ssd_person",
            pers_person_id=pid,
            pers_dob=dob,
            pers_expected_dob=expected,
            pers_death_date=death,
        )

    def _ensure_person(self, pid: str) -> None:
        if pid not in self._people:
            self.person(pid)

    def professional(self, prof_id: str, name: str = "", team: str = "") -> None:
        if prof_id in self._professionals:
            return
        self._professionals.add(prof_id)
        self.add(
            "ssd_professionals",
            prof_professional_id=prof_id,
            prof_professional_name=name or f"Professional {prof_id}",
            prof_professional_department=team,
        )

    def team(self, team_id: str, name: str) -> None:
        self.add("ssd_department", dept_team_id=team_id, dept_team_name=name)

    def involvement(
        self, inv_id: str, person: str, prof: str, team: str, start: str, end: str = ""
    ) -> None:
        self._ensure_person(person)
        self.professional(prof)
        self.add(
            "ssd_involvements",
            invo_involvements_id=inv_id,
            invo_professional_id=prof,
            invo_person_id=person,
            invo_professional_team=team,
            invo_involvement_start_date=start,
            invo_involvement_end_date=end,
        )

    # ---- enquiries, conferences and plans ---------------------------------------------------

    def s47(self, s47_id: str, person: str, start: str, end: str = "", nfa: str = "") -> None:
        self._ensure_person(person)
        self.add(
            "ssd_s47_enquiry",
            s47e_s47_enquiry_id=s47_id,
            s47e_person_id=person,
            s47e_s47_start_date=start,
            s47e_s47_end_date=end,
            s47e_s47_nfa=nfa,
        )

    def strategy(self, sd_id: str, person: str, when: str, s47: str = "") -> None:
        self._ensure_person(person)
        self.add(
            "assure_strategy_discussions",
            stra_strategy_id=sd_id,
            stra_person_id=person,
            stra_s47_enquiry_id=s47,
            stra_date=when,
        )

    def icpc(
        self,
        icpc_id: str,
        person: str,
        when: str,
        s47: str = "",
        plan: str = "",
        transfer_in: bool = False,
        meeting: str = "",
    ) -> None:
        self._ensure_person(person)
        self.add(
            "ssd_initial_cp_conference",
            icpc_icpc_id=icpc_id,
            icpc_person_id=person,
            icpc_icpc_meeting_id=meeting,
            icpc_s47_enquiry_id=s47,
            icpc_cp_plan_id=plan,
            icpc_icpc_transfer_in="Y" if transfer_in else "N",
            icpc_icpc_date=when,
            icpc_icpc_outcome_cp_flag="Y" if plan else "N",
        )

    def plan(self, plan_id: str, person: str, start: str, end: str = "", icpc: str = "") -> None:
        self._ensure_person(person)
        self.add(
            "ssd_cp_plans",
            cppl_cp_plan_id=plan_id,
            cppl_person_id=person,
            cppl_icpc_id=icpc,
            cppl_cp_plan_start_date=start,
            cppl_cp_plan_end_date=end,
            cppl_cp_plan_initial_category="NEG",
        )

    def review(
        self, review_id: str, person: str, plan: str, when: str, meeting: str = "", due: str = ""
    ) -> None:
        self.add(
            "ssd_cp_reviews",
            cppr_cp_review_id=review_id,
            cppr_person_id=person,
            cppr_cp_plan_id=plan,
            cppr_cp_review_due=due,
            cppr_cp_review_date=when,
            cppr_cp_review_meeting_id=meeting,
        )

    def chair(self, meeting: str, prof: str) -> None:
        self.professional(prof)
        self.add(
            "assure_conference_chairs", chai_meeting_id=meeting, chai_chair_professional_id=prof
        )

    def core_group(self, cg_id: str, person: str, plan: str, when: str, recorded: str = "") -> None:
        self.add(
            "assure_core_groups",
            cogr_core_group_id=cg_id,
            cogr_person_id=person,
            cogr_cp_plan_id=plan,
            cogr_meeting_date=when,
            cogr_recorded_date=recorded,
        )

    def midway(self, midway_id: str, person: str, plan: str, when: str) -> None:
        self.add(
            "assure_midway_reviews",
            midw_id=midway_id,
            midw_person_id=person,
            midw_cp_plan_id=plan,
            midw_date=when,
        )

    def visit(self, visit_id: str, person: str, plan: str, when: str, seen: str = "Y") -> None:
        self.add(
            "ssd_cp_visits",
            cppv_cp_visit_id=visit_id,
            cppv_person_id=person,
            cppv_cp_plan_id=plan,
            cppv_cp_visit_date=when,
            cppv_cp_visit_seen=seen,
        )

    def action(self, action_id: str, person: str, plan: str, **missing: bool) -> None:
        """An action with every element present except those passed as name=False."""
        present = {name: "stated" for name in ("outcome", "risk", "timeframe", "responsible")}
        for name, keep in missing.items():
            if not keep:
                present[name] = ""
        self.add(
            "assure_plan_actions",
            plac_action_id=action_id,
            plac_cp_plan_id=plan,
            plac_person_id=person,
            **{f"plac_{name}": value for name, value in present.items()},
        )

    # ---- legal, pre-proceedings, viability, flags -------------------------------------------

    def legal(
        self,
        lgpl_id: str,
        person: str,
        requested: str,
        route: str = "meeting",
        decision_date: str = "",
        recorded: str = "",
        decision: str = "",
    ) -> None:
        self._ensure_person(person)
        self.add(
            "assure_legal_planning",
            lgpl_id=lgpl_id,
            lgpl_person_id=person,
            lgpl_requested_date=requested,
            lgpl_route=route,
            lgpl_decision_date=decision_date,
            lgpl_decision=decision or ("no_order" if decision_date else ""),
            lgpl_recorded_date=recorded,
        )

    def pre_proceedings(
        self,
        prep_id: str,
        person: str,
        decision: str,
        letter: str = "",
        concluded: str = "",
        letter_filed: str = "",
    ) -> None:
        self._ensure_person(person)
        self.add(
            "ssd_pre_proceedings",
            prep_table_id=prep_id,
            prep_person_id=person,
            prep_pre_pro_decision_date=decision,
            prep_pre_pro_letter_date=letter,
            prep_agree_stepdown_issue_date=concluded,
        )
        self.add("assure_plo_filing", plof_table_id=prep_id, plof_letter_filed_date=letter_filed)

    def viability(
        self,
        viab_id: str,
        person: str,
        requested: str,
        completed: str = "",
        qa: str = "",
        outcome: str = "",
    ) -> None:
        self._ensure_person(person)
        self.add(
            "assure_viability_assessments",
            viab_id=viab_id,
            viab_person_id=person,
            viab_requested_date=requested,
            viab_completed_date=completed,
            viab_qa_date=qa,
            viab_outcome=outcome,
        )

    def flag(
        self,
        flag_id: str,
        person: str,
        start: str,
        end: str = "",
        review: str = "",
        code: str = "CSAFE",
    ) -> None:
        self._ensure_person(person)
        self.add(
            "assure_case_flags",
            flag_id=flag_id,
            flag_person_id=person,
            flag_code=code,
            flag_start_date=start,
            flag_end_date=end,
            flag_last_review_date=review,
        )

    # ---- workforce (section 9) ---------------------------------------------------------------

    def supervision(self, supe_id: str, prof: str, when: str, kind: str = "formal") -> None:
        self.professional(prof)
        self.add(
            "assure_supervision",
            supe_id=supe_id,
            supe_professional_id=prof,
            supe_date=when,
            supe_type=kind,
        )

    def oversight(self, over_id: str, person: str, when: str, prof: str = "") -> None:
        self._ensure_person(person)
        if prof:
            self.professional(prof)
        self.add(
            "assure_case_oversight",
            over_id=over_id,
            over_person_id=person,
            over_date=when,
            over_professional_id=prof,
        )

    # ---- loading ----------------------------------------------------------------------------

    def load(
        self,
        partnership: Partnership,
        missing: tuple[str, ...] = (),
        extract_date: date = date(2028, 1, 1),
    ) -> None:
        """Write every table (except `missing`) as a CSV file and import them; fail on problems."""
        with tempfile.TemporaryDirectory(prefix="assure-indicators-") as tmp:
            folder = Path(tmp)
            sources: dict[str, Path] = {}
            for table in TABLES:
                if table.name in missing:
                    continue
                path = folder / table.file_name
                with path.open("w", newline="", encoding="utf-8") as f:
                    writer = csv.DictWriter(f, fieldnames=list(table.column_names))
                    writer.writeheader()
                    for row in self.tables.get(table.name, []):
                        writer.writerow(row)
                sources[table.name] = path
            # Taken on its date: an extract dated after today is refused.
            with time_machine.travel(extract_date, tick=False):
                result = import_tables(partnership, sources, actor=None, extract_date=extract_date)
        assert result.ok, [str(p) for p in result.problems]


def run(indicator_id: str, partnership: Partnership, start: str, end: str) -> Result:
    return compute(indicator_id, partnership.pk, date.fromisoformat(start), date.fromisoformat(end))


def statuses(result: Result) -> dict[str, tuple[str | None, str | None, str]]:
    """ref -> (due, done, status), ISO dates, for comparing with hand-worked expectations."""
    return {o.ref: _row(o) for o in result.obligations}


def _row(o: Obligation) -> tuple[str | None, str | None, str]:
    return (
        o.due.isoformat() if o.due else None,
        o.done.isoformat() if o.done else None,
        o.status,
    )
