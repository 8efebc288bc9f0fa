"""What every part of a child's story shares: the rows written so far, the dates seen, ids.

The story is told by `child.ChildBuilder`, whose parts live in their own modules (a plan's life
in `plans`, legal planning in `legal`, case flags in `flags`), each a mixin over this base.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from assure.casedata.synth.dates import iso
from assure.casedata.synth.records import Episode, Plan, PreProceedings
from assure.casedata.synth.staff import Professional, Team

if TYPE_CHECKING:
    from assure.casedata.synth.authority import Synthesiser


class ChildBase:
    """One child's state while its rows are decided."""

    dob: date | None

    def __init__(self, syn: Synthesiser, index: int) -> None:
        self.syn = syn
        self.rng = syn.rng
        self.as_of = syn.as_of
        self.pid = f"P{index:06d}"
        self.index = index
        self.rows: dict[str, list[dict[str, str]]] = {name: [] for name in syn.tables}
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

    def _known(self, d: date | None) -> date | None:
        return self.syn._known(d)

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
                "invo_involvement_start_date": iso(start),
                "invo_involvement_end_date": iso(end),
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
