"""One child's story: referral, strategy discussion, section 47 enquiry, conference, plan.

Everything is decided by the authority's one generator, in a fixed order, and written as rows
as it is decided (see `base`). A plan's life, legal planning and case flags are in their own
modules; a new child-level table's generator goes in a module of its own beside them, called
from `ChildBuilder.build`.
"""

from __future__ import annotations

from datetime import date, timedelta

from assure.casedata.synth.dates import awd, iso, working_on_or_after, working_on_or_before, yn
from assure.casedata.synth.flags import CaseFlags
from assure.casedata.synth.legal import LegalPlanning
from assure.casedata.synth.plans import PlanLife
from assure.casedata.synth.records import S47, ChildRecord, Episode, Icpc, Plan
from assure.casedata.synth.staff import Professional, Team
from assure.casedata.synth.vocabulary import CATEGORIES, ETHNICITIES


class ChildBuilder(PlanLife, LegalPlanning, CaseFlags):
    """Everything that happens to one child, written as rows as it is decided."""

    # ---- the child ------------------------------------------------------------------------

    def build(self) -> ChildRecord:
        rng, syn, as_of = self.rng, self.syn, self.as_of
        unborn = rng.random() < 0.005
        sex = "U" if unborn else ("M" if rng.random() < 0.51 else "F")
        ethnicity = syn._weighted(ETHNICITIES) if not unborn or rng.random() < 0.5 else "NOBT"
        dob: date | None
        expected: date | None
        if unborn:
            dob, expected = None, as_of + syn._days(7, 140)
        else:
            # Younger children are more often known to children's social care.
            dob = as_of - timedelta(days=int(rng.triangular(0, 18 * 365 - 1, 0)))
            expected = dob + syn._days(-14, 14) if rng.random() < 0.04 else None
        self.dob = dob

        if unborn:
            start = as_of - syn._days(10, 140)
            self._episode(start, force_plan=True, unborn=True)
        elif rng.random() < 0.35:
            self._s47_child()
        else:
            self._other_child()

        if self.plans and rng.random() < 0.45:
            self._legal(rng.choice(self.plans))
        elif self.episodes and rng.random() < 0.02:
            ep = self.episodes[-1]
            self._legal_at(self._known(ep.referral + syn._days(10, 120)))
        if self.episodes and rng.random() < 0.025:
            self._csafe(self.episodes[0].referral)

        death = None
        if (
            not unborn
            and not self.open_business
            and rng.random() < 0.002
            and self.last_event is not None
            and self.last_event < as_of - timedelta(days=30)
        ):
            gap = min(365, (as_of - self.last_event).days)
            death = self.last_event + syn._days(1, gap)

        self.rows["ssd_person"].append(
            {
                "pers_person_id": self.pid,
                "pers_sex": sex,
                "pers_ethnicity": ethnicity,
                "pers_dob": iso(dob),
                "pers_expected_dob": iso(expected),
                "pers_death_date": iso(death),
                "pers_forename": "Synthetic",
                "pers_surname": f"Child {self.index:06d}",
            }
        )
        return ChildRecord(
            self.pid,
            sex,
            ethnicity,
            dob,
            expected,
            death,
            self.rows,
            self.episodes,
            self.pre_proceedings,
        )

    def _earliest_start(self) -> date:
        earliest = self.syn.window_start - timedelta(days=120)
        if self.dob is not None and self.dob + timedelta(days=7) > earliest:
            earliest = self.dob + timedelta(days=7)
        return earliest

    def _s47_child(self) -> None:
        rng, syn, as_of = self.rng, self.syn, self.as_of
        earliest = self._earliest_start()
        if earliest >= as_of:
            self._other_child()
            return
        legacy = rng.random() < 0.012 and self.dob is not None
        if legacy:
            start = as_of - syn._days(735, 900)
            if start < earliest:
                legacy = False
        if not legacy:
            start = earliest + timedelta(days=rng.randint(0, (as_of - earliest).days))
        episodes = 1 + (rng.random() < 0.3) + (rng.random() < 0.05)
        for n in range(episodes):
            end = self._episode(start, force_plan=legacy and n == 0, legacy=legacy and n == 0)
            if end is None:
                return
            if self.plans and self.plans[-1].end == end and rng.random() < 0.6:
                start = end + syn._days(30, 700)  # a repeat plan within two years is likely
            else:
                start = end + syn._days(30, 900)
            if start > as_of:
                return

    def _other_child(self) -> None:
        """A child known to the authority without a section 47 enquiry: an assessment at most."""
        rng, syn, as_of = self.rng, self.syn, self.as_of
        if rng.random() < 0.6:
            earliest = self._earliest_start()
            if earliest >= as_of:
                return
            start = earliest + timedelta(days=rng.randint(0, (as_of - earliest).days))
            end = self._known(start + syn._days(20, 150))
            team = rng.choice(syn.assessment_teams)
            self._involve(team, start, end)
            self.episodes.append(Episode(start, end))
            self._seen(start, end)

    # ---- an episode: strategy discussion, s47, ICPC, plan ----------------------------------

    def _episode(
        self, start: date, *, force_plan: bool = False, unborn: bool = False, legacy: bool = False
    ) -> date | None:
        """One episode from `start`; returns the date it ended (None if still open at as_of)."""
        rng, syn, as_of, ids = self.rng, self.syn, self.as_of, self.syn.ids
        referral = start - syn._days(0, 10)
        if self.dob is not None and referral < self.dob:
            referral = self.dob
        if not force_plan and rng.random() < 0.03:
            return self._transfer_in(referral)
        sd = working_on_or_after(start)
        if sd > as_of:
            sd = working_on_or_before(as_of)
        assess_team = rng.choice(syn.assessment_teams)
        s47_id = ids.next("S47")
        s47_start = sd if rng.random() < 0.8 else awd(sd, rng.randint(1, 3))
        if s47_start > as_of:
            s47_start = sd
        strategy = rng.random() >= 0.03
        if strategy:
            self._add(
                "assure_strategy_discussions",
                {
                    "stra_strategy_id": ids.next("STR"),
                    "stra_person_id": self.pid,
                    "stra_s47_enquiry_id": s47_id,
                    "stra_date": iso(sd),
                },
            )
            if rng.random() < 0.1:
                again = awd(sd, rng.randint(2, 8))
                if again <= as_of:
                    self._add(
                        "assure_strategy_discussions",
                        {
                            "stra_strategy_id": ids.next("STR"),
                            "stra_person_id": self.pid,
                            "stra_s47_enquiry_id": s47_id,
                            "stra_date": iso(again),
                        },
                    )
        to_icpc = force_plan or rng.random() < (0.7 if self.plans else 0.47)
        s47 = S47(s47_id, s47_start, None, None, sd if strategy else None, None)
        episode = Episode(referral, None, s47=s47)
        self.episodes.append(episode)
        self._seen(referral, sd, s47_start)
        worker_end: date | None
        if not to_icpc:
            # Most enquiries that need no conference conclude within the 15 working days.
            k = rng.randint(3, 15) if rng.random() < 0.92 else rng.randint(16, 35)
            end = self._known(awd(s47_start, k))
            s47.end, s47.nfa = end, (True if end else None)
            worker_end = self._known(end + syn._days(0, 40)) if end else None
            worker = self._involve(assess_team, referral, worker_end)
            self._s47_row(s47, assess_team, worker)
            episode.closure = worker_end
            self._seen(end, worker_end)
            return worker_end
        # An initial conference: about 80% within 15 working days of the strategy discussion.
        r = rng.random()
        if r < 0.80:
            k = rng.randint(4, 15)
        elif r < 0.97:
            k = rng.randint(16, 30)
        else:
            k = rng.randint(31, 60)
        icpc_date = awd(sd, k)
        if icpc_date < s47_start:
            icpc_date = s47_start
        if icpc_date > as_of:
            if force_plan:
                icpc_date = working_on_or_before(as_of)
                if icpc_date < s47_start:
                    icpc_date = s47_start
            else:
                worker = self._involve(assess_team, referral, None)
                self._s47_row(s47, assess_team, worker)
                return None
        s47.end, s47.nfa = icpc_date, False
        assess_worker = self._involve(assess_team, referral, icpc_date)
        self._s47_row(s47, assess_team, assess_worker)
        plan_follows = force_plan or rng.random() < 0.88
        prot_team = rng.choice(syn.protection_teams)
        icpc = self._icpc(icpc_date, awd(s47_start, 15), False, s47_id, plan_follows, prot_team)
        s47.icpc = icpc
        self._seen(icpc_date)
        if icpc.plan is None:
            end = self._known(icpc_date + syn._days(5, 60))
            self._involve(prot_team, icpc_date, end)
            episode.closure = end
            return end
        plan_end = self._plan_life(icpc.plan, unborn=unborn, legacy=legacy)
        self._allocations(prot_team, icpc_date, plan_end)
        episode.closure = self._known(plan_end + syn._days(1, 60)) if plan_end else None
        self._seen(episode.closure)
        return plan_end

    def _transfer_in(self, referral: date) -> date | None:
        rng, syn = self.rng, self.syn
        when = working_on_or_after(referral + syn._days(0, 10))
        if when > self.as_of:
            return None
        prot_team = rng.choice(syn.protection_teams)
        icpc = self._icpc(when, None, True, "", rng.random() < 0.95, prot_team)
        episode = Episode(referral, None, transfer_in=icpc)
        self.episodes.append(episode)
        self._seen(referral, when)
        if icpc.plan is None:
            end = self._known(when + syn._days(5, 40))
            self._involve(prot_team, referral, end)
            episode.closure = end
            return end
        plan_end = self._plan_life(icpc.plan)
        self._allocations(prot_team, referral, plan_end)
        episode.closure = self._known(plan_end + syn._days(1, 60)) if plan_end else None
        return plan_end

    def _allocations(self, team: Team, start: date, plan_end: date | None) -> None:
        """The allocated worker through the plan, sometimes changing part way."""
        rng, syn = self.rng, self.syn
        end = self._known(plan_end + syn._days(0, 30)) if plan_end else None
        last = end or self.as_of
        if (last - start).days > 60 and rng.random() < 0.3:
            change = start + syn._days(20, (last - start).days - 20)
            self._involve(team, start, change)
            self._involve(
                rng.choice(syn.protection_teams) if rng.random() < 0.3 else team, change, end
            )
        else:
            self._involve(team, start, end)
        self._seen(end)

    def _s47_row(self, s47: S47, team: Team, worker: Professional) -> None:
        self._add(
            "ssd_s47_enquiry",
            {
                "s47e_s47_enquiry_id": s47.s47_id,
                "s47e_person_id": self.pid,
                "s47e_s47_start_date": iso(s47.start),
                "s47e_s47_end_date": iso(s47.end),
                "s47e_s47_nfa": "" if s47.nfa is None else yn(s47.nfa),
                "s47e_s47_completed_by_team": team.team_id if s47.end else "",
                "s47e_s47_completed_by_worker_id": worker.prof_id if s47.end else "",
            },
        )
        if s47.end is None:
            self.open_business = True

    def _icpc(
        self,
        when: date,
        target: date | None,
        transfer_in: bool,
        s47_id: str,
        plan_follows: bool,
        team: Team,
    ) -> Icpc:
        rng, syn, ids = self.rng, self.syn, self.syn.ids
        icpc_id = ids.next("ICPC")
        meeting_id = ids.next("MTG")
        plan = None
        if plan_follows:
            plan = Plan(ids.next("CPP"), when, None, syn._weighted(CATEGORIES), "", icpc_id)
            plan.latest_category = (
                syn._weighted(CATEGORIES) if rng.random() < 0.08 else plan.initial_category
            )
            self.plans.append(plan)
        worker = rng.choice(syn.workers[team.team_id])
        self._add(
            "ssd_initial_cp_conference",
            {
                "icpc_icpc_id": icpc_id,
                "icpc_person_id": self.pid,
                "icpc_icpc_meeting_id": meeting_id,
                "icpc_s47_enquiry_id": s47_id,
                "icpc_cp_plan_id": plan.plan_id if plan else "",
                "icpc_icpc_transfer_in": yn(transfer_in),
                "icpc_icpc_target_date": iso(target),
                "icpc_icpc_date": iso(when),
                "icpc_icpc_outcome_cp_flag": yn(plan is not None),
                "icpc_icpc_team": team.team_id,
                "icpc_icpc_worker_id": worker.prof_id,
            },
        )
        self._chair_for_meeting(meeting_id)
        return Icpc(icpc_id, when, target, transfer_in, plan)
