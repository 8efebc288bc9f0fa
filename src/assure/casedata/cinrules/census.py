"""The census as the DfE's rules read it: every child with all of its modules, dates parsed.

`cin.py` reads each `Child` element once; while the element is still in memory it hands it to
`read_child` (with the index of each element's children it has already made), which keeps what
the rules need (far more than the case data contract stores:
assessments, CIN plan dates, closure reasons, `ReferralNFA`, the number of previous plans) as
small frozen records. A date that is missing or not a real `YYYY-MM-DD` date is None here:
`cin.py` already reports it, and the rules then treat it as absent, as the DfE's do.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from assure.casedata import contract

__all__ = [
    "CATEGORIES",
    "Assessment",
    "Census",
    "Child",
    "CinPlan",
    "Episode",
    "Plan",
    "Section47",
    "episodes",
    "read_child",
]

CATEGORIES = frozenset(contract.CATEGORIES)  # categories of abuse
TRUE = frozenset({"true", "1"})
FALSE = frozenset({"false", "0"})


@dataclass(frozen=True)
class Assessment:
    start: date | None
    authorised: date | None
    factors: tuple[str, ...]


@dataclass(frozen=True)
class CinPlan:
    start: date | None
    end: date | None


@dataclass(frozen=True)
class Section47:
    start: date | None
    target: date | None  # InitialCPCtarget
    icpc: date | None  # DateOfInitialCPC
    icpc_not_required: bool | None  # None: missing or not a boolean


@dataclass(frozen=True)
class Plan:
    """A child protection plan; `reviews` holds None for a review element without a date."""

    start: date | None
    end: date | None
    initial_category: str
    latest_category: str
    previous_plans: str  # NumberOfPreviousCPP as written
    reviews: tuple[date | None, ...]


@dataclass(frozen=True)
class Episode:
    """One `CINdetails` group: a referral and what followed it."""

    referral: date | None
    closure: date | None
    reason_for_closure: str
    referral_nfa: bool | None
    icpc: date | None  # DateOfInitialCPC recorded at episode level
    assessments: tuple[Assessment, ...] = ()
    cin_plans: tuple[CinPlan, ...] = ()
    section47s: tuple[Section47, ...] = ()
    plans: tuple[Plan, ...] = ()


@dataclass(frozen=True)
class Child:
    id: str | None  # LAchildID; None when missing
    position: int  # 1-based place of the Child element in the file
    upn: str
    birth: date | None
    death: date | None
    episodes: tuple[Episode, ...] = ()

    def plans(self) -> Iterator[Plan]:
        """The child's protection plans across all episodes."""
        for episode in self.episodes:
            yield from episode.plans

    def cin_plans(self) -> Iterator[CinPlan]:
        for episode in self.episodes:
            yield from episode.cin_plans


@dataclass
class Census:
    reference: date | None = None  # Header/CollectionDetails/ReferenceDate: the year's last day
    children: list[Child] = field(default_factory=list)

    @cached_property
    def year_start(self) -> date | None:
        """The census year's first day: the day after the reference date one year earlier."""
        if self.reference is None:
            return None
        ref = self.reference
        try:
            year_before = ref.replace(year=ref.year - 1)
        except ValueError:  # 29 February
            year_before = ref.replace(year=ref.year - 1, day=28)
        return date.fromordinal(year_before.toordinal() + 1)

    def in_year(self, when: date) -> bool:
        """True if `when` falls in the census year (False when the year is unknown)."""
        start = self.year_start
        return start is not None and self.reference is not None and start <= when <= self.reference

    # What the rules loop over, listed once: most children have no enquiry and no plan, so a
    # rule about enquiries or plans loops over those only (in the file's order, as ever).

    @cached_property
    def child_episodes(self) -> list[tuple[Child, Episode]]:
        """Every episode of every child, with its child."""
        return [(child, episode) for child in self.children for episode in child.episodes]

    @cached_property
    def enquiry_episodes(self) -> list[tuple[Child, Episode]]:
        """The episodes with a section 47 enquiry, with their child."""
        return [(child, episode) for child, episode in self.child_episodes if episode.section47s]

    @cached_property
    def plan_episodes(self) -> list[tuple[Child, Episode]]:
        """The episodes with a child protection plan, with their child."""
        return [(child, episode) for child, episode in self.child_episodes if episode.plans]

    @cached_property
    def child_plans(self) -> list[tuple[Child, Plan]]:
        """Every child protection plan, with its child."""
        return [(child, plan) for child, episode in self.plan_episodes for plan in episode.plans]

    @cached_property
    def plan_children(self) -> list[Child]:
        """The children with a child protection plan."""
        return list({id(child): child for child, _ in self.plan_episodes}.values())

    @cached_property
    def enquiry_children(self) -> list[Child]:
        """The children with a section 47 enquiry."""
        return list({id(child): child for child, _ in self.enquiry_episodes}.values())

    @cached_property
    def dead_children(self) -> list[Child]:
        """The children with a date of death."""
        return [child for child in self.children if child.death is not None]


def episodes(census: Census) -> list[tuple[Child, Episode]]:
    """Every episode of every child, with its child."""
    return census.child_episodes


Index = dict[str, list[ET.Element]]  # an element's children by tag (namespace left off)
Indexer = Callable[[ET.Element], Index]


class _LocalNames(dict[object, str]):
    """Tags without any namespace, worked out once per distinct tag (a census has few);
    comments and processing instructions (whose tag is not text) have none."""

    def __missing__(self, tag: object) -> str:
        local = tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""
        if len(self) < 10_000:  # a hostile file's endless distinct tags are not kept
            self[tag] = local
        return local


local_name = _LocalNames().__getitem__


def index_of(element: ET.Element) -> Index:
    """One pass over an element's children, so each value is then found at once."""
    index: Index = {}
    for sub in element:
        tag = local_name(sub.tag)
        found = index.get(tag)
        if found is None:
            index[tag] = [sub]
        else:
            found.append(sub)
    index.pop("", None)  # comments and processing instructions
    return index


def _text(index: Index, tag: str) -> str:
    found = index.get(tag)
    return (found[0].text or "").strip() if found else ""


_DATES: dict[str, date | None] = {}  # a census has a few thousand distinct dates
_DATES_KEPT = 50_000


def parse_date(text: str) -> date | None:
    """A `YYYY-MM-DD` date that exists, or None."""
    try:
        return _DATES[text]
    except KeyError:
        pass
    value = None
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        try:
            value = date.fromisoformat(text)
        except ValueError:
            value = None
    if len(_DATES) < _DATES_KEPT:  # a hostile file's endless distinct values are not kept
        _DATES[text] = value
    return value


def _date(index: Index, tag: str) -> date | None:
    found = index.get(tag)
    return parse_date((found[0].text or "").strip()) if found else None


def _flag(index: Index, tag: str) -> bool | None:
    text = _text(index, tag).lower()
    return True if text in TRUE else False if text in FALSE else None


def _plan(element: ET.Element, index_of: Indexer) -> Plan:
    index = index_of(element)
    reviews = tuple(
        parse_date((review.text or "").strip())
        for group in index.get("Reviews", ())
        for review in index_of(group).get("CPPreviewDate", ())
    )
    return Plan(
        start=_date(index, "CPPstartDate"),
        end=_date(index, "CPPendDate"),
        initial_category=_text(index, "InitialCategoryOfAbuse"),
        latest_category=_text(index, "LatestCategoryOfAbuse"),
        previous_plans=_text(index, "NumberOfPreviousCPP"),
        reviews=reviews,
    )


def _assessment(element: ET.Element, index_of: Indexer) -> Assessment:
    index = index_of(element)
    return Assessment(
        start=_date(index, "AssessmentActualStartDate"),
        authorised=_date(index, "AssessmentAuthorisationDate"),
        factors=tuple(
            (factor.text or "").strip()
            for group in index.get("FactorsIdentifiedAtAssessment", ())
            for factor in index_of(group).get("AssessmentFactors", ())
        ),
    )


def _section47(element: ET.Element, index_of: Indexer) -> Section47:
    index = index_of(element)
    return Section47(
        start=_date(index, "S47ActualStartDate"),
        target=_date(index, "InitialCPCtarget"),
        icpc=_date(index, "DateOfInitialCPC"),
        icpc_not_required=_flag(index, "ICPCnotRequired"),
    )


def _cin_plan(element: ET.Element, index_of: Indexer) -> CinPlan:
    index = index_of(element)
    return CinPlan(_date(index, "CINPlanStartDate"), _date(index, "CINPlanEndDate"))


def _episode(element: ET.Element, index_of: Indexer) -> Episode:
    index = index_of(element)
    return Episode(
        referral=_date(index, "CINreferralDate"),
        closure=_date(index, "CINclosureDate"),
        reason_for_closure=_text(index, "ReasonForClosure"),
        referral_nfa=_flag(index, "ReferralNFA"),
        icpc=_date(index, "DateOfInitialCPC"),
        assessments=tuple(_assessment(a, index_of) for a in index.get("Assessments", ())),
        cin_plans=tuple(_cin_plan(c, index_of) for c in index.get("CINPlanDates", ())),
        section47s=tuple(_section47(s, index_of) for s in index.get("Section47", ())),
        plans=tuple(_plan(p, index_of) for p in index.get("ChildProtectionPlans", ())),
    )


def read_child(element: ET.Element, position: int, index_of: Indexer = index_of) -> Child:
    """What the rules need from one `Child` element.

    `index_of` gives an element's children by tag: `cin.py` passes one that keeps each
    element's index, so that an element read for the contract's tables is not indexed again.
    """
    index = index_of(element)
    found = index.get("ChildIdentifiers")
    ids = index_of(found[0]) if found else {}
    return Child(
        id=_text(ids, "LAchildID") or None,
        position=position,
        upn=_text(ids, "UPN"),
        birth=_date(ids, "PersonBirthDate"),
        death=_date(ids, "PersonDeathDate"),
        episodes=tuple(_episode(e, index_of) for e in index.get("CINdetails", ())),
    )
