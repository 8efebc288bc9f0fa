"""A synthetic local authority's case data, written as the CSV files of the case data contract.

`generate(out_dir, children, seed, as_of)` writes every `ssd_*` and `assure_*` file of
docs/domain.md section 5 for `children` synthetic children. Everything is decided by one
`random.Random(seed)` and the as-of date, so the same arguments give byte-identical files.
Children are generated and written one at a time, so memory does not grow with `children`.

The data is shaped like England's national figures over about three years before the as-of date
(about a third of children have a section 47 enquiry, about 80% of initial conferences are held
within 15 working days of the strategy discussion, plan lengths with a median of about nine
months) and deliberately includes met, late and overdue (or breached) cases for every indicator
of docs/domain.md section 4. No real person is described: names are "Child 000123" and staff
names are drawn from short fixed lists.

`write_cin_xml(out_file, children, seed, as_of)` writes the same authority's children as a
Children in Need census XML file in the 2026-27 layout (with `PreProceedingsandFGDM`).
"""

from __future__ import annotations

import csv
import itertools
import random
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import IO

from assure.casedata import synth_workforce
from assure.core.calendar import add_months, add_working_days, is_working_day

__all__ = [
    "DEFAULT_AS_OF",
    "TABLE_COLUMNS",
    "ChildRecord",
    "Synthesiser",
    "generate",
    "iter_children",
    "write_cin_xml",
]

DEFAULT_AS_OF = date(2026, 10, 31)

# docs/domain.md section 5, in contract order. The column names are a public contract.
TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "ssd_person": (
        "pers_person_id",
        "pers_sex",
        "pers_ethnicity",
        "pers_dob",
        "pers_expected_dob",
        "pers_death_date",
    ),
    "ssd_department": (
        "dept_team_id",
        "dept_team_name",
        "dept_team_parent_id",
        "dept_team_parent_name",
    ),
    "ssd_professionals": (
        "prof_professional_id",
        "prof_professional_name",
        "prof_professional_job_title",
        "prof_professional_department",
    ),
    "ssd_involvements": (
        "invo_involvements_id",
        "invo_professional_id",
        "invo_person_id",
        "invo_professional_role_id",
        "invo_professional_team",
        "invo_involvement_start_date",
        "invo_involvement_end_date",
    ),
    "ssd_s47_enquiry": (
        "s47e_s47_enquiry_id",
        "s47e_person_id",
        "s47e_s47_start_date",
        "s47e_s47_end_date",
        "s47e_s47_nfa",
        "s47e_s47_completed_by_team",
        "s47e_s47_completed_by_worker_id",
    ),
    "ssd_initial_cp_conference": (
        "icpc_icpc_id",
        "icpc_person_id",
        "icpc_icpc_meeting_id",
        "icpc_s47_enquiry_id",
        "icpc_cp_plan_id",
        "icpc_icpc_transfer_in",
        "icpc_icpc_target_date",
        "icpc_icpc_date",
        "icpc_icpc_outcome_cp_flag",
        "icpc_icpc_team",
        "icpc_icpc_worker_id",
    ),
    "ssd_cp_plans": (
        "cppl_cp_plan_id",
        "cppl_person_id",
        "cppl_icpc_id",
        "cppl_cp_plan_start_date",
        "cppl_cp_plan_end_date",
        "cppl_cp_plan_initial_category",
        "cppl_cp_plan_latest_category",
    ),
    "ssd_cp_reviews": (
        "cppr_cp_review_id",
        "cppr_person_id",
        "cppr_cp_plan_id",
        "cppr_cp_review_due",
        "cppr_cp_review_date",
        "cppr_cp_review_meeting_id",
        "cppr_cp_review_outcome_continue_cp",
        "cppr_cp_review_quorate",
    ),
    "ssd_cp_visits": (
        "cppv_cp_visit_id",
        "cppv_person_id",
        "cppv_cp_plan_id",
        "cppv_cp_visit_date",
        "cppv_cp_visit_seen",
        "cppv_cp_visit_seen_alone",
    ),
    "ssd_pre_proceedings": (
        "prep_table_id",
        "prep_person_id",
        "prep_pre_pro_decision_date",
        "prep_pre_pro_letter_date",
        "prep_initial_pre_pro_meeting_date",
        "prep_pre_pro_outcome",
        "prep_agree_stepdown_issue_date",
    ),
    "assure_strategy_discussions": (
        "stra_strategy_id",
        "stra_person_id",
        "stra_s47_enquiry_id",
        "stra_date",
    ),
    "assure_conference_chairs": ("chai_meeting_id", "chai_chair_professional_id"),
    "assure_core_groups": (
        "cogr_core_group_id",
        "cogr_person_id",
        "cogr_cp_plan_id",
        "cogr_meeting_date",
        "cogr_recorded_date",
    ),
    "assure_midway_reviews": (
        "midw_id",
        "midw_person_id",
        "midw_cp_plan_id",
        "midw_date",
        "midw_chair_professional_id",
    ),
    "assure_plan_actions": (
        "plac_action_id",
        "plac_cp_plan_id",
        "plac_person_id",
        "plac_outcome",
        "plac_risk",
        "plac_timeframe",
        "plac_responsible",
    ),
    "assure_legal_planning": (
        "lgpl_id",
        "lgpl_person_id",
        "lgpl_requested_date",
        "lgpl_route",
        "lgpl_decision_date",
        "lgpl_decision",
        "lgpl_recorded_date",
        "lgpl_threshold_disagreement",
    ),
    "assure_plo_filing": ("plof_table_id", "plof_letter_filed_date", "plof_meeting_filed_date"),
    "assure_viability_assessments": (
        "viab_id",
        "viab_person_id",
        "viab_requested_date",
        "viab_completed_date",
        "viab_qa_date",
        "viab_outcome",
        "viab_team",
    ),
    "assure_case_flags": (
        "flag_id",
        "flag_person_id",
        "flag_code",
        "flag_start_date",
        "flag_end_date",
        "flag_last_review_date",
    ),
}

TABLE_COLUMNS.update(synth_workforce.COLUMNS)  # docs/domain.md section 9

# Personal columns written to ssd_person on top of the contract: the importer must drop them.
PERSON_EXTRA_COLUMNS = ("pers_forename", "pers_surname")

ETHNICITIES = (
    ("WBRI", 60),
    ("WIRI", 1),
    ("WIRT", 1),
    ("WOTH", 5),
    ("WROM", 1),
    ("MWBC", 4),
    ("MWBA", 1),
    ("MWAS", 2),
    ("MOTH", 3),
    ("AIND", 2),
    ("APKN", 3),
    ("ABAN", 1),
    ("AOTH", 2),
    ("BCRB", 1),
    ("BAFR", 4),
    ("BOTH", 1),
    ("CHNE", 1),
    ("OOTH", 3),
    ("REFU", 2),
    ("NOBT", 2),
)
CATEGORIES = (("NEG", 50), ("EMO", 36), ("PHY", 6), ("SAB", 4), ("MUL", 4))
FORENAMES = (
    "Alex",
    "Sam",
    "Jo",
    "Chris",
    "Pat",
    "Robin",
    "Jamie",
    "Morgan",
    "Casey",
    "Taylor",
    "Jordan",
    "Riley",
    "Avery",
    "Quinn",
    "Rowan",
    "Sky",
)
SURNAMES = (
    "Example",
    "Sample",
    "Testing",
    "Placeholder",
    "Fictional",
    "Madeup",
    "Dummy",
    "Synthetic",
    "Specimen",
    "Mock",
    "Pretend",
    "Imaginary",
)
OUTCOMES = (
    "Child attends school every day",
    "Home conditions are safe and clean",
    "Child's health appointments are kept",
    "Parents engage with support",
    "Child is free from harm at home",
    "Child's views are heard",
)
RISKS = (
    "Neglect of basic care",
    "Exposure to domestic abuse",
    "Parental substance misuse",
    "Missed medical care",
    "Emotional harm from conflict",
    "Unsafe adults in the home",
)
TIMEFRAMES = (
    "Within 2 weeks",
    "By next core group",
    "Within 1 month",
    "Ongoing, weekly",
    "By review conference",
    "Within 6 weeks",
)
RESPONSIBLES = (
    "Social worker",
    "Parents",
    "Health visitor",
    "School",
    "Family support worker",
    "GP",
    "Substance misuse service",
)

_ONE_DAY = timedelta(days=1)


def _d(value: date | None) -> str:
    return value.isoformat() if value else ""


def _yn(value: bool) -> str:
    return "Y" if value else "N"


@lru_cache(maxsize=65536)
def _awd(d: date, n: int) -> date:
    """add_working_days, cached: the generator asks for the same few thousand dates many times."""
    return add_working_days(d, n)


def _working_on_or_after(d: date) -> date:
    while not is_working_day(d):
        d += _ONE_DAY
    return d


def _working_on_or_before(d: date) -> date:
    while not is_working_day(d):
        d -= _ONE_DAY
    return d


# --------------------------------------------------------------------------------------------
# Structured child record (also the source for the CIN census XML)


@dataclass
class Review:
    review_id: str
    due: date
    held: date
    meeting_id: str
    continues: bool


@dataclass
class Plan:
    plan_id: str
    start: date
    end: date | None
    initial_category: str
    latest_category: str
    icpc_id: str = ""
    reviews: list[Review] = field(default_factory=list)


@dataclass
class Icpc:
    icpc_id: str
    held_on: date
    target: date | None
    transfer_in: bool
    plan: Plan | None


@dataclass
class S47:
    s47_id: str
    start: date
    end: date | None
    nfa: bool | None
    strategy_date: date | None
    icpc: Icpc | None


@dataclass
class Episode:
    """One contact with children's social care: a referral and what followed it."""

    referral: date
    closure: date | None
    s47: S47 | None = None
    transfer_in: Icpc | None = None

    @property
    def plan(self) -> Plan | None:
        icpc = self.s47.icpc if self.s47 else self.transfer_in
        return icpc.plan if icpc else None


@dataclass
class PreProceedings:
    table_id: str
    decision: date
    letter: date | None
    meeting: date | None
    outcome: str
    concluded: date | None


@dataclass
class ChildRecord:
    """One child: its rows for each table, and the structure the CIN census is written from."""

    person_id: str
    sex: str
    ethnicity: str
    dob: date | None
    expected_dob: date | None
    death: date | None
    rows: dict[str, list[dict[str, str]]]
    episodes: list[Episode]
    pre_proceedings: list[PreProceedings]


# --------------------------------------------------------------------------------------------
# Staff


@dataclass
class Team:
    team_id: str
    name: str
    parent_id: str
    parent_name: str
    kind: str  # "assessment", "protection", "conference", "legal"


@dataclass
class Professional:
    prof_id: str
    name: str
    job_title: str
    team_id: str


class _Counter:
    def __init__(self) -> None:
        self.counts: dict[str, int] = {}

    def next(self, prefix: str) -> str:
        n = self.counts.get(prefix, 0) + 1
        self.counts[prefix] = n
        return f"{prefix}-{n:06d}"


class Synthesiser:
    """Generates the authority's staff, then its children one at a time (see module docstring)."""

    def __init__(self, children: int, seed: int, as_of: date = DEFAULT_AS_OF) -> None:
        if children < 1:
            raise ValueError("children must be at least 1")
        self.children = children
        self.seed = seed
        self.as_of = as_of
        # One seeded generator drives everything: reproducible, never the global random state.
        self.rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
        self.ids = _Counter()
        self.window_start = add_months(as_of, -36)
        self.teams: list[Team] = []
        self.professionals: list[Professional] = []
        self._make_staff()

    # ---- staff ---------------------------------------------------------------------------

    def _make_staff(self) -> None:
        rng = self.rng
        n = self.children
        teams_each = max(3, min(40, n // 4000 + 2))
        services = (
            ("S01", "Assessment and Front Door Service", "assessment", "Assessment Team"),
            ("S02", "Protection and Court Service", "protection", "Protection and Court Team"),
        )
        for parent_id, parent_name, kind, label in services:
            for k in range(1, teams_each + 1):
                self.teams.append(
                    Team(
                        f"T{len(self.teams) + 1:03d}", f"{label} {k}", parent_id, parent_name, kind
                    )
                )
        self.teams.append(
            Team(
                f"T{len(self.teams) + 1:03d}",
                "Conference and Review Team",
                "S03",
                "Safeguarding Quality Service",
                "conference",
            )
        )
        self.teams.append(
            Team(
                f"T{len(self.teams) + 1:03d}",
                "Legal Gateway Team",
                "S02",
                "Protection and Court Service",
                "legal",
            )
        )

        def person_name() -> str:
            return f"{rng.choice(FORENAMES)} {rng.choice(SURNAMES)}"

        def add(title: str, team: Team) -> Professional:
            prof = Professional(
                f"PR{len(self.professionals) + 1:05d}", person_name(), title, team.team_id
            )
            self.professionals.append(prof)
            return prof

        self.workers: dict[str, list[Professional]] = {}
        workers_per_team = max(4, n // (teams_each * 2 * 60))
        for team in self.teams:
            if team.kind in ("assessment", "protection"):
                add("Team Manager", team)
                self.workers[team.team_id] = [
                    add("Social Worker", team) for _ in range(workers_per_team)
                ]
        conference = next(t for t in self.teams if t.kind == "conference")
        self.chairs = [
            add("Independent Conference Chair", conference) for _ in range(max(4, n // 1500))
        ]
        self.advisers = [
            add("Child Protection Adviser", conference) for _ in range(max(2, n // 8000))
        ]
        self.assessment_teams = [t for t in self.teams if t.kind == "assessment"]
        self.protection_teams = [t for t in self.teams if t.kind == "protection"]

    def staff_rows(self) -> dict[str, list[dict[str, str]]]:
        return {
            "ssd_department": [
                {
                    "dept_team_id": t.team_id,
                    "dept_team_name": t.name,
                    "dept_team_parent_id": t.parent_id,
                    "dept_team_parent_name": t.parent_name,
                }
                for t in self.teams
            ],
            "ssd_professionals": [
                {
                    "prof_professional_id": p.prof_id,
                    "prof_professional_name": p.name,
                    "prof_professional_job_title": p.job_title,
                    "prof_professional_department": p.team_id,
                }
                for p in self.professionals
            ],
        }

    # ---- helpers --------------------------------------------------------------------------

    def _weighted(self, pairs: tuple[tuple[str, int], ...]) -> str:
        total = sum(w for _, w in pairs)
        r = self.rng.random() * total
        for value, weight in pairs:
            r -= weight
            if r < 0:
                return value
        return pairs[-1][0]

    def _days(self, lo: int, hi: int) -> timedelta:
        return timedelta(days=self.rng.randint(lo, hi))

    def _after(
        self, d: date, met: float, late: float, ok: tuple[int, int], slow: tuple[int, int]
    ) -> date | None:
        """A follow-up `ok` working days after d (probability met), `slow` (late) or never."""
        r = self.rng.random()
        if r < met:
            return _awd(d, self.rng.randint(*ok))
        if r < met + late:
            return _awd(d, self.rng.randint(*slow))
        return None

    def _known(self, d: date | None) -> date | None:
        """A date as the extract knows it: nothing after the as-of date has happened yet."""
        return d if d is not None and d <= self.as_of else None

    # ---- children -------------------------------------------------------------------------

    def children_records(self) -> Iterator[ChildRecord]:
        for i in range(1, self.children + 1):
            yield _ChildBuilder(self, i).build()


class _ChildBuilder:
    """Everything that happens to one child, written as rows as it is decided."""

    def __init__(self, syn: Synthesiser, index: int) -> None:
        self.syn = syn
        self.rng = syn.rng
        self.as_of = syn.as_of
        self.pid = f"P{index:06d}"
        self.index = index
        self.rows: dict[str, list[dict[str, str]]] = {name: [] for name in TABLE_COLUMNS}
        self.episodes: list[Episode] = []
        self.pre_proceedings: list[PreProceedings] = []
        self.last_event: date | None = None
        self.open_business = False  # an open plan, enquiry, involvement or process at as_of
        self.chair = self.rng.choice(syn.chairs)
        self.plans: list[Plan] = []

    def _add(self, table: str, row: dict[str, str]) -> None:
        self.rows[table].append(row)

    def _seen(self, *dates: date | None) -> None:
        for d in dates:
            if d is not None and (self.last_event is None or d > self.last_event):
                self.last_event = d

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
                "pers_dob": _d(dob),
                "pers_expected_dob": _d(expected),
                "pers_death_date": _d(death),
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

    def _known(self, d: date | None) -> date | None:
        return self.syn._known(d)

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

    def _involve(self, team: Team, start: date, end: date | None) -> Professional:
        worker = self.rng.choice(self.syn.workers[team.team_id])
        self._add(
            "ssd_involvements",
            {
                "invo_involvements_id": self.syn.ids.next("INV"),
                "invo_professional_id": worker.prof_id,
                "invo_person_id": self.pid,
                "invo_professional_role_id": "SW",
                "invo_professional_team": team.team_id,
                "invo_involvement_start_date": _d(start),
                "invo_involvement_end_date": _d(end),
            },
        )
        if end is None:
            self.open_business = True
        return worker

    def _chair_for_meeting(self, meeting_id: str) -> None:
        rng = self.rng
        chair = self.chair
        if rng.random() < 0.12:
            chair = rng.choice(self.syn.chairs)
            if rng.random() < 0.5:
                self.chair = chair
        self._add(
            "assure_conference_chairs",
            {
                "chai_meeting_id": meeting_id,
                "chai_chair_professional_id": chair.prof_id,
            },
        )

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
        sd = _working_on_or_after(start)
        if sd > as_of:
            sd = _working_on_or_before(as_of)
        assess_team = rng.choice(syn.assessment_teams)
        s47_id = ids.next("S47")
        s47_start = sd if rng.random() < 0.8 else _awd(sd, rng.randint(1, 3))
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
                    "stra_date": _d(sd),
                },
            )
            if rng.random() < 0.1:
                again = _awd(sd, rng.randint(2, 8))
                if again <= as_of:
                    self._add(
                        "assure_strategy_discussions",
                        {
                            "stra_strategy_id": ids.next("STR"),
                            "stra_person_id": self.pid,
                            "stra_s47_enquiry_id": s47_id,
                            "stra_date": _d(again),
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
            end = self._known(_awd(s47_start, k))
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
        icpc_date = _awd(sd, k)
        if icpc_date < s47_start:
            icpc_date = s47_start
        if icpc_date > as_of:
            if force_plan:
                icpc_date = _working_on_or_before(as_of)
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
        icpc = self._icpc(icpc_date, _awd(s47_start, 15), False, s47_id, plan_follows, prot_team)
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
        when = _working_on_or_after(referral + syn._days(0, 10))
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
                "s47e_s47_start_date": _d(s47.start),
                "s47e_s47_end_date": _d(s47.end),
                "s47e_s47_nfa": "" if s47.nfa is None else _yn(s47.nfa),
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
                "icpc_icpc_transfer_in": _yn(transfer_in),
                "icpc_icpc_target_date": _d(target),
                "icpc_icpc_date": _d(when),
                "icpc_icpc_outcome_cp_flag": _yn(plan is not None),
                "icpc_icpc_team": team.team_id,
                "icpc_icpc_worker_id": worker.prof_id,
            },
        )
        self._chair_for_meeting(meeting_id)
        return Icpc(icpc_id, when, target, transfer_in, plan)

    # ---- the life of a plan -----------------------------------------------------------------

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
                held = _working_on_or_before(start + timedelta(days=length))
                if held <= start:
                    held = start + _ONE_DAY
            else:
                r = rng.random()
                if r < 0.80:
                    held = _working_on_or_before(due - syn._days(0, 20))
                elif r < 0.95:
                    held = _working_on_or_after(due + syn._days(1, 30))
                else:
                    held = _working_on_or_after(due + syn._days(31, 120))
                if held <= prev:
                    held = prev + _ONE_DAY
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
                    "cppr_cp_review_due": _d(due),
                    "cppr_cp_review_date": _d(held),
                    "cppr_cp_review_meeting_id": meeting_id,
                    "cppr_cp_review_outcome_continue_cp": _yn(not ends),
                    "cppr_cp_review_quorate": _yn(rng.random() < 0.95),
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
                "cppl_cp_plan_start_date": _d(start),
                "cppl_cp_plan_end_date": _d(end),
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
        d = _awd(plan.start, rng.randint(2, 10) if r < 0.85 else rng.randint(11, 20))
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
                    "cogr_meeting_date": _d(d),
                    "cogr_recorded_date": _d(recorded),
                },
            )
            r = rng.random()
            if r < 0.85:
                gap = rng.randint(14, 42)
            elif r < 0.97:
                gap = rng.randint(43, 70)
            else:
                gap = rng.randint(71, 120)
            d = _working_on_or_before(d + timedelta(days=gap))

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
            d = _awd(prev, k)
            if d > limit or (stop is not None and d > stop):
                break
            if plan.end is not None and d >= plan.end:
                break
            seen = rng.random() < 0.93
            if unborn or self.dob is None or d < self.dob:
                seen_text, alone_text = "", ""  # a visit before birth: nobody to see
            else:
                seen_text = _yn(seen)
                alone_text = _yn(seen and old_enough and rng.random() < 0.7)
            self._add(
                "ssd_cp_visits",
                {
                    "cppv_cp_visit_id": syn.ids.next("CPPV"),
                    "cppv_person_id": self.pid,
                    "cppv_cp_plan_id": plan.plan_id,
                    "cppv_cp_visit_date": _d(d),
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
                    "midw_date": _d(mid),
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

    # ---- legal planning, pre-proceedings, viability, CSAFE ---------------------------------

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
        requested = _working_on_or_before(requested)
        route = "meeting" if rng.random() < 0.85 else "declined"
        if route == "meeting":
            decision_date = self._known(_awd(requested, rng.randint(2, 10)))
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
            decision_date = self._known(_awd(requested, rng.randint(0, 3)))
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
                "lgpl_requested_date": _d(requested),
                "lgpl_route": route,
                "lgpl_decision_date": _d(decision_date),
                "lgpl_decision": decision if decision_date else "",
                "lgpl_recorded_date": _d(recorded),
                "lgpl_threshold_disagreement": _yn(rng.random() < 0.06),
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
        letter = self._known(_awd(decision, rng.randint(2, 10)))
        meeting = self._known(_awd(letter, rng.randint(3, 10))) if letter else None
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
                "prep_pre_pro_decision_date": _d(decision),
                "prep_pre_pro_letter_date": _d(letter),
                "prep_initial_pre_pro_meeting_date": _d(meeting),
                "prep_pre_pro_outcome": outcome,
                "prep_agree_stepdown_issue_date": _d(concluded),
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
                "plof_letter_filed_date": _d(letter_filed),
                "plof_meeting_filed_date": _d(meeting_filed),
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
            requested = self._known(_working_on_or_before(after + syn._days(0, 30)))
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
                    "viab_requested_date": _d(requested),
                    "viab_completed_date": _d(completed),
                    "viab_qa_date": _d(qa),
                    "viab_outcome": outcome,
                    "viab_team": team.team_id,
                },
            )
            self._seen(requested, completed, qa)
            if completed is None and outcome == "":
                self.open_business = True

    def _csafe(self, start_after: date) -> None:
        rng, syn, as_of = self.rng, self.syn, self.as_of
        start = self._known(start_after + syn._days(0, 20))
        if start is None:
            return
        end = self._known(start + syn._days(90, 500)) if rng.random() < 0.3 else None
        review: date | None
        if end is None:
            fresh = rng.random() < 0.6
            review = as_of - (syn._days(0, 85) if fresh else syn._days(100, 300))
        else:
            review = end - syn._days(0, 60)
        if review < start:
            review = None
        self._add(
            "assure_case_flags",
            {
                "flag_id": syn.ids.next("FLAG"),
                "flag_person_id": self.pid,
                "flag_code": "CSAFE",
                "flag_start_date": _d(start),
                "flag_end_date": _d(end),
                "flag_last_review_date": _d(review),
            },
        )
        self._seen(start, end, review)
        if end is None:
            self.open_business = True


# --------------------------------------------------------------------------------------------
# Writing


def iter_children(children: int, seed: int, as_of: date = DEFAULT_AS_OF) -> Iterator[ChildRecord]:
    """The authority's children, one at a time (same arguments, same children)."""
    return Synthesiser(children, seed, as_of).children_records()


def generate(
    out_dir: Path, children: int, seed: int, as_of: date = DEFAULT_AS_OF
) -> dict[str, int]:
    """Write every contract file for a synthetic authority into out_dir; rows written per file."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    syn = Synthesiser(children, seed, as_of)
    counts = dict.fromkeys(TABLE_COLUMNS, 0)
    files: dict[str, IO[str]] = {}
    writers: dict[str, csv.DictWriter[str]] = {}
    try:
        for name, columns in TABLE_COLUMNS.items():
            header = columns + PERSON_EXTRA_COLUMNS if name == "ssd_person" else columns
            fh: IO[str] = open(  # noqa: SIM115 - closed in the finally block
                out_dir / f"{name}.csv", "w", encoding="utf-8", newline=""
            )
            files[name] = fh
            writer = csv.DictWriter(
                fh, fieldnames=header, lineterminator="\n", extrasaction="raise"
            )
            writer.writeheader()
            writers[name] = writer
        for name, rows in syn.staff_rows().items():
            writers[name].writerows(rows)
            counts[name] += len(rows)
        for record in syn.children_records():
            for name, rows in record.rows.items():
                if rows:
                    writers[name].writerows(rows)
                    counts[name] += len(rows)
    finally:
        for fh in files.values():
            fh.close()
    counts.update(synth_workforce.append(out_dir, seed, as_of))
    return counts


# ---- CIN census XML (2026-27 layout) --------------------------------------------------------


def _collection_year_end(d: date) -> date:
    """31 March ending the census year (1 April to 31 March) that contains d."""
    return date(d.year + 1, 3, 31) if d.month >= 4 else date(d.year, 3, 31)


def _sub(parent: ET.Element, tag: str, text: str | None = None) -> ET.Element:
    el = ET.SubElement(parent, tag)
    if text is not None:
        el.text = text
    return el


def _child_element(record: ChildRecord, rng: random.Random) -> ET.Element:
    child = ET.Element("Child")
    ids = _sub(child, "ChildIdentifiers")
    _sub(ids, "LAchildID", record.person_id)
    _sub(ids, "UPNunknown", "UN1" if record.dob is None else "UN2")
    if record.dob:
        _sub(ids, "PersonBirthDate", record.dob.isoformat())
    if record.expected_dob:
        _sub(ids, "ExpectedPersonBirthDate", record.expected_dob.isoformat())
    _sub(ids, "Sex", record.sex)
    if record.death:
        _sub(ids, "PersonDeathDate", record.death.isoformat())
    chars = _sub(child, "ChildCharacteristics")
    _sub(chars, "Ethnicity", record.ethnicity)
    disabilities = _sub(chars, "Disabilities")
    _sub(disabilities, "Disability", "NONE")
    pre_proceedings = list(record.pre_proceedings)
    for n, episode in enumerate(record.episodes):
        details = _sub(child, "CINdetails")
        _sub(details, "CINreferralDate", episode.referral.isoformat())
        _sub(details, "ReferralSource", rng.choice(("1A", "2A", "3A", "5A", "6", "8")))
        _sub(details, "PrimaryNeedCode", "N1" if episode.plan else rng.choice(("N1", "N2", "N4")))
        if episode.closure:
            _sub(details, "CINclosureDate", episode.closure.isoformat())
            _sub(details, "ReasonForClosure", "RC8" if episode.plan else "RC1")
        if episode.transfer_in:
            _sub(details, "DateOfInitialCPC", episode.transfer_in.held_on.isoformat())
        s47 = episode.s47
        if s47:
            sec = _sub(details, "Section47")
            _sub(sec, "S47ActualStartDate", s47.start.isoformat())
            _sub(sec, "InitialCPCtarget", add_working_days(s47.start, 15).isoformat())
            if s47.icpc:
                _sub(sec, "DateOfInitialCPC", s47.icpc.held_on.isoformat())
            _sub(sec, "ICPCnotRequired", "true" if s47.nfa else "false")
        _sub(details, "ReferralNFA", "false")
        plan = episode.plan
        if plan:
            cpp = _sub(details, "ChildProtectionPlans")
            _sub(cpp, "CPPstartDate", plan.start.isoformat())
            if plan.end:
                _sub(cpp, "CPPendDate", plan.end.isoformat())
            _sub(cpp, "InitialCategoryOfAbuse", plan.initial_category)
            _sub(cpp, "LatestCategoryOfAbuse", plan.latest_category)
            _sub(
                cpp,
                "NumberOfPreviousCPP",
                str(sum(1 for e in record.episodes[:n] if e.plan is not None)),
            )
            if plan.reviews:
                reviews = _sub(cpp, "Reviews")
                for review in plan.reviews:
                    _sub(reviews, "CPPreviewDate", review.held.isoformat())
        # Pre-proceedings belong to the episode open when they were decided (else the last).
        later = record.episodes[n + 1].referral if n + 1 < len(record.episodes) else None
        for pp in [p for p in pre_proceedings if later is None or p.decision < later]:
            pre_proceedings.remove(pp)
            module = _sub(details, "PreProceedingsandFGDM")
            _sub(module, "PPStartDate", pp.decision.isoformat())
            if pp.letter:
                _sub(module, "LBPSentDate", pp.letter.isoformat())
                _sub(module, "FGDMMeetingOffer", "1")
                _sub(module, "FGDMMeetingFac", "1" if rng.random() < 0.7 else "0")
            if pp.meeting:
                _sub(module, "InitialPPMeetingDate", pp.meeting.isoformat())
                _sub(module, "ReviewMeetingsCount", str(rng.randint(0, 4)))
            if pp.concluded:
                _sub(module, "StepDecisionDate", pp.concluded.isoformat())
                # CS131 codes; "A" for a step down and "B" for care proceedings here.
                _sub(module, "PPOutcome", "A" if pp.outcome == "step_down" else "B")
    if not record.episodes:
        details = _sub(child, "CINdetails")
        _sub(details, "CINreferralDate", (record.dob or date(2000, 1, 1)).isoformat())
        _sub(details, "ReferralSource", "9")
        _sub(details, "PrimaryNeedCode", "N9")
        _sub(details, "ReferralNFA", "true")
    return child


def write_cin_xml(out_file: Path, children: int, seed: int, as_of: date = DEFAULT_AS_OF) -> int:
    """Write the authority made by generate(children, seed, as_of) as a CIN census XML file.

    Children are written one at a time. Returns the number of children written. Codes the CSV
    files do not carry (referral source, need code, closure reason) are synthetic fillers.
    """
    syn = Synthesiser(children, seed, as_of)
    # Fillers come from their own generator so the children stay identical to generate()'s.
    filler = random.Random(seed + 1)  # noqa: S311 - synthetic data, not security
    reference = _collection_year_end(as_of)
    header = ET.Element("Header")
    details = _sub(header, "CollectionDetails")
    _sub(details, "Collection", "CIN")
    _sub(details, "Year", str(reference.year))
    _sub(details, "ReferenceDate", reference.isoformat())
    source = _sub(header, "Source")
    _sub(source, "SourceLevel", "L")
    _sub(source, "LEA", "999")
    _sub(source, "SoftwareCode", "Assure synthetic data")
    _sub(source, "Release", "1")
    _sub(source, "SerialNo", "001")
    _sub(source, "DateTime", f"{as_of.isoformat()}T00:00:00")
    ET.indent(header, space="  ", level=1)
    written = 0
    with open(out_file, "w", encoding="utf-8", newline="\n") as fh:
        fh.write('<?xml version="1.0" encoding="utf-8"?>\n<Message>\n  ')
        fh.write(ET.tostring(header, encoding="unicode"))
        fh.write("\n  <Children>\n")
        for record in syn.children_records():
            element = _child_element(record, filler)
            ET.indent(element, space="  ", level=2)
            fh.write("    ")
            fh.write(ET.tostring(element, encoding="unicode"))
            fh.write("\n")
            written += 1
        fh.write("  </Children>\n</Message>\n")
    return written
