"""Legal planning, pre-proceedings (with PLO filing) and viability assessments."""

from datetime import date, timedelta

from assure.casedata.synth.base import ChildBase
from assure.casedata.synth.dates import awd, iso, working_on_or_before, yn
from assure.casedata.synth.records import Plan, PreProceedings


class LegalPlanning(ChildBase):
    def _legal(self, plan: Plan) -> None:
        last = plan.end or self.as_of
        span = (last - plan.start).days
        if span < 20:
            return
        self._legal_at(plan.start + self.syn._days(14, span))

    def _legal_at(self, requested: date | None) -> None:
        rng, syn, ids = self.rng, self.syn, self.syn.ids
        if requested is None:
            return
        requested = working_on_or_before(requested)
        route = "meeting" if rng.random() < 0.85 else "declined"
        if route == "meeting":
            decision_date = self._known(awd(requested, rng.randint(2, 10)))
            decision = syn._weighted(
                (
                    ("pre_proceedings", 50),
                    ("issue", 12),
                    ("no_order", 20),
                    ("assessment", 12),
                    ("other", 6),
                )
            )
        else:
            decision_date = self._known(awd(requested, rng.randint(0, 3)))
            decision = "no_order" if rng.random() < 0.6 else "assessment"
        recorded = (
            self._known(syn._after(decision_date, 0.80, 0.12, (0, 10), (11, 25)))
            if decision_date
            else None
        )
        self._add(
            "assure_legal_planning",
            {
                "lgpl_id": ids.next("LGPL"),
                "lgpl_person_id": self.pid,
                "lgpl_requested_date": iso(requested),
                "lgpl_route": route,
                "lgpl_decision_date": iso(decision_date),
                "lgpl_decision": decision if decision_date else "",
                "lgpl_recorded_date": iso(recorded),
                "lgpl_threshold_disagreement": yn(rng.random() < 0.06),
            },
        )
        self._seen(requested, decision_date, recorded)
        if decision_date is None:
            self.open_business = True
            return
        if decision == "pre_proceedings":
            self._pre_proceedings(decision_date)
        elif decision in ("issue", "assessment") and rng.random() < 0.5:
            self._viability(decision_date, rng.randint(1, 2))

    def _pre_proceedings(self, decision: date) -> None:
        rng, syn, ids = self.rng, self.syn, self.syn.ids
        letter = self._known(awd(decision, rng.randint(2, 10)))
        meeting = self._known(awd(letter, rng.randint(3, 10))) if letter else None
        r = rng.random()
        if r < 0.55:
            weeks_days = rng.randint(70, 112)
        elif r < 0.80:
            weeks_days = rng.randint(113, 210)
        else:
            weeks_days = rng.randint(211, 400)
        concluded = self._known(decision + timedelta(days=weeks_days))
        if concluded is not None and meeting is not None and concluded < meeting:
            concluded = meeting
        if concluded is not None and letter is not None and concluded < letter:
            concluded = letter
        outcome = ("step_down" if rng.random() < 0.6 else "issue") if concluded else ""
        table_id = ids.next("PREP")
        self._add(
            "ssd_pre_proceedings",
            {
                "prep_table_id": table_id,
                "prep_person_id": self.pid,
                "prep_pre_pro_decision_date": iso(decision),
                "prep_pre_pro_letter_date": iso(letter),
                "prep_initial_pre_pro_meeting_date": iso(meeting),
                "prep_pre_pro_outcome": outcome,
                "prep_agree_stepdown_issue_date": iso(concluded),
            },
        )
        letter_filed = (
            self._known(syn._after(letter, 0.80, 0.12, (0, 10), (11, 25))) if letter else None
        )
        meeting_filed = (
            self._known(syn._after(meeting, 0.80, 0.12, (0, 10), (11, 25))) if meeting else None
        )
        self._add(
            "assure_plo_filing",
            {
                "plof_table_id": table_id,
                "plof_letter_filed_date": iso(letter_filed),
                "plof_meeting_filed_date": iso(meeting_filed),
            },
        )
        self.pre_proceedings.append(
            PreProceedings(table_id, decision, letter, meeting, outcome, concluded)
        )
        self._seen(decision, letter, meeting, concluded, letter_filed, meeting_filed)
        if concluded is None:
            self.open_business = True
        self._viability(decision, rng.randint(1, 3))

    def _viability(self, after: date, count: int) -> None:
        rng, syn, ids = self.rng, self.syn, self.syn.ids
        team = rng.choice(syn.protection_teams)
        for _ in range(count):
            requested = self._known(working_on_or_before(after + syn._days(0, 30)))
            if requested is None or requested < after:
                continue
            completed = self._known(syn._after(requested, 0.75, 0.20, (3, 10), (11, 25)))
            qa = (
                self._known(syn._after(completed, 0.80, 0.12, (0, 5), (6, 15)))
                if completed
                else None
            )
            if completed:
                outcome = syn._weighted((("positive", 35), ("negative", 50), ("withdrawn", 15)))
            else:
                outcome = "withdrawn" if rng.random() < 0.3 else ""
            self._add(
                "assure_viability_assessments",
                {
                    "viab_id": ids.next("VIAB"),
                    "viab_person_id": self.pid,
                    "viab_requested_date": iso(requested),
                    "viab_completed_date": iso(completed),
                    "viab_qa_date": iso(qa),
                    "viab_outcome": outcome,
                    "viab_team": team.team_id,
                },
            )
            self._seen(requested, completed, qa)
            if completed is None and outcome == "":
                self.open_business = True
