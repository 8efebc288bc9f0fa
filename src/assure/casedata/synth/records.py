"""One synthetic child as a structure: what the CSV rows and the CIN census are written from."""

from dataclasses import dataclass, field
from datetime import date


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
