"""The life of a child protection plan: reviews (which end it), core groups, visits, mid-way
reviews and the plan's actions."""

import itertools
from datetime import date, timedelta

from assure.casedata.synth.base import ChildBase
from assure.casedata.synth.dates import (
    ONE_DAY,
    awd,
    iso,
    working_on_or_after,
    working_on_or_before,
    yn,
)
from assure.casedata.synth.records import Plan, Review
from assure.casedata.synth.vocabulary import OUTCOMES, RESPONSIBLES, RISKS, TIMEFRAMES
from assure.core.calendar import add_months


class PlanLife(ChildBase):
    def _plan_length(self) -> int:
        r, rng = self.rng.random(), self.rng
        if r < 0.12:
            return rng.randint(20, 89)
        if r < 0.32:
            return rng.randint(90, 180)
        if r < 0.67:
            return rng.randint(181, 365)
        if r < 0.87:
            return rng.randint(366, 545)
        if r < 0.96:
            return rng.randint(546, 730)
        return rng.randint(731, 1000)

    def _plan_life(self, plan: Plan, *, unborn: bool = False, legacy: bool = False) -> date | None:
        """Reviews (which end the plan), core groups, visits, mid-way reviews and actions."""
        rng, syn, as_of, ids = self.rng, self.syn, self.as_of, self.syn.ids
        start = plan.start
        length = 5000 if legacy else self._plan_length()
        conferences = [start]
        prev = start
        end: date | None = None
        while True:
            first = not plan.reviews
            due = add_months(start, 3) if first else add_months(prev, 6)
            if first and length < 89:
                held = working_on_or_before(start + timedelta(days=length))
                if held <= start:
                    held = start + ONE_DAY
            else:
                r = rng.random()
                if r < 0.80:
                    held = working_on_or_before(due - syn._days(0, 20))
                elif r < 0.95:
                    held = working_on_or_after(due + syn._days(1, 30))
                else:
                    held = working_on_or_after(due + syn._days(31, 120))
                if held <= prev:
                    held = prev + ONE_DAY
            if held > as_of:
                break
            # Now and then the review falls due and is not held at all (overdue at as_of).
            if held > as_of - timedelta(days=75) and due <= as_of and rng.random() < 0.08:
                break
            ends = (held - start).days >= length
            meeting_id = ids.next("MTG")
            review = Review(ids.next("CPPR"), due, held, meeting_id, not ends)
            plan.reviews.append(review)
            self._add(
                "ssd_cp_reviews",
                {
                    "cppr_cp_review_id": review.review_id,
                    "cppr_person_id": self.pid,
                    "cppr_cp_plan_id": plan.plan_id,
                    "cppr_cp_review_due": iso(due),
                    "cppr_cp_review_date": iso(held),
                    "cppr_cp_review_meeting_id": meeting_id,
                    "cppr_cp_review_outcome_continue_cp": yn(not ends),
                    "cppr_cp_review_quorate": yn(rng.random() < 0.95),
                },
            )
            self._chair_for_meeting(meeting_id)
            conferences.append(held)
            prev = held
            if ends:
                end = held
                break
        plan.end = end
        self._add(
            "ssd_cp_plans",
            {
                "cppl_cp_plan_id": plan.plan_id,
                "cppl_person_id": self.pid,
                "cppl_icpc_id": plan.icpc_id,
                "cppl_cp_plan_start_date": iso(start),
                "cppl_cp_plan_end_date": iso(end),
                "cppl_cp_plan_initial_category": plan.initial_category,
                "cppl_cp_plan_latest_category": plan.latest_category,
            },
        )
        if end is None:
            self.open_business = True
        self._seen(end)
        limit = end or as_of
        self._core_groups(plan, limit, open_plan=end is None)
        self._visits(plan, limit, open_plan=end is None, unborn=unborn)
        self._midways(plan, conferences, end)
        self._actions(plan)
        return end

    def _stall(self, open_plan: bool, p: float) -> date | None:
        """For some open plans, a recurring chain that stopped recently (overdue at as_of)."""
        if open_plan and self.rng.random() < p:
            return self.as_of - self.syn._days(0, 70)
        return None

    def _core_groups(self, plan: Plan, limit: date, *, open_plan: bool) -> None:
        rng, syn = self.rng, self.syn
        if rng.random() < 0.02:
            return  # no core group was ever held
        stop = self._stall(open_plan, 0.08)
        r = rng.random()
        d = awd(plan.start, rng.randint(2, 10) if r < 0.85 else rng.randint(11, 20))
        while d <= limit and (stop is None or d <= stop):
            if plan.end is not None and d >= plan.end:
                break
            recorded = self._known(syn._after(d, 0.82, 0.11, (0, 5), (6, 20)))
            self._add(
                "assure_core_groups",
                {
                    "cogr_core_group_id": syn.ids.next("CG"),
                    "cogr_person_id": self.pid,
                    "cogr_cp_plan_id": plan.plan_id,
                    "cogr_meeting_date": iso(d),
                    "cogr_recorded_date": iso(recorded),
                },
            )
            r = rng.random()
            if r < 0.85:
                gap = rng.randint(14, 42)
            elif r < 0.97:
                gap = rng.randint(43, 70)
            else:
                gap = rng.randint(71, 120)
            d = working_on_or_before(d + timedelta(days=gap))

    def _visits(self, plan: Plan, limit: date, *, open_plan: bool, unborn: bool) -> None:
        rng, syn = self.rng, self.syn
        stop = self._stall(open_plan, 0.07)
        prev = plan.start
        old_enough = self.dob is not None and (plan.start - self.dob).days >= 4 * 365
        while True:
            r = rng.random()
            if r < 0.80:
                k = rng.randint(3, 10)
            elif r < 0.95:
                k = rng.randint(11, 18)
            else:
                k = rng.randint(19, 30)
            d = awd(prev, k)
            if d > limit or (stop is not None and d > stop):
                break
            if plan.end is not None and d >= plan.end:
                break
            seen = rng.random() < 0.93
            if unborn or self.dob is None or d < self.dob:
                seen_text, alone_text = "", ""  # a visit before birth: nobody to see
            else:
                seen_text = yn(seen)
                alone_text = yn(seen and old_enough and rng.random() < 0.7)
            self._add(
                "ssd_cp_visits",
                {
                    "cppv_cp_visit_id": syn.ids.next("CPPV"),
                    "cppv_person_id": self.pid,
                    "cppv_cp_plan_id": plan.plan_id,
                    "cppv_cp_visit_date": iso(d),
                    "cppv_cp_visit_seen": seen_text,
                    "cppv_cp_visit_seen_alone": alone_text,
                },
            )
            prev = d

    def _midways(self, plan: Plan, conferences: list[date], end: date | None) -> None:
        rng, syn, as_of = self.rng, self.syn, self.as_of
        intervals = list(itertools.pairwise(conferences))
        if end is None:
            last = conferences[-1]
            next_due = add_months(last, 3 if len(conferences) == 1 else 6)
            intervals.append((last, next_due))
        for a, b in intervals:
            if rng.random() >= 0.85 or (b - a).days < 14:
                continue
            mid = a + timedelta(days=(b - a).days // 2) + syn._days(-7, 7)
            if mid <= a or mid >= b or mid > as_of:
                continue
            self._add(
                "assure_midway_reviews",
                {
                    "midw_id": syn.ids.next("MWR"),
                    "midw_person_id": self.pid,
                    "midw_cp_plan_id": plan.plan_id,
                    "midw_date": iso(mid),
                    "midw_chair_professional_id": self.chair.prof_id,
                },
            )

    def _actions(self, plan: Plan) -> None:
        rng, syn = self.rng, self.syn

        def maybe(options: tuple[str, ...]) -> str:
            return rng.choice(options) if rng.random() >= 0.05 else ""

        for _ in range(rng.randint(3, 7)):
            self._add(
                "assure_plan_actions",
                {
                    "plac_action_id": syn.ids.next("ACT"),
                    "plac_cp_plan_id": plan.plan_id,
                    "plac_person_id": self.pid,
                    "plac_outcome": maybe(OUTCOMES),
                    "plac_risk": maybe(RISKS),
                    "plac_timeframe": maybe(TIMEFRAMES),
                    "plac_responsible": maybe(RESPONSIBLES),
                },
            )
