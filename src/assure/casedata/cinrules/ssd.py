"""The DfE's child protection rules over an SSD extract, where its tables hold the data.

An SSD extract has no CIN episodes, referrals, assessments or census year: each child's section
47 enquiries (with the initial conference each led to) and protection plans (with their review
conferences) are read as one episode, and only the rules that read nothing more run
(`SSD_RULES`). Their findings are reported with the rule's code; they do not refuse the extract
(its own checks, `importer.validation`, do that).
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING

from assure.casedata.cinrules import RuleProblem, check_census
from assure.casedata.cinrules.census import Census, Child, Episode, Plan, Section47

if TYPE_CHECKING:
    from assure.casedata.importer.reading import TableSource

__all__ = ["SSD_RULES", "check_extract"]

SSD_RULES = ("8615", "8840", "8841", "8870Q", "8875", "8915", "8920", "8935", "8940")
_FLAGS = {"y": True, "yes": True, "1": True, "true": True, "n": False, "no": False, "0": False}


def _columns(source: TableSource, names: tuple[str, ...]) -> list[list[str]] | None:
    """The named columns' stripped text (None if the file lacks one or cannot be read: the
    extract's own checks report that)."""
    try:
        header = [name.lower() for name in source.header]
        if any(name not in header for name in names):
            return None
        at = [header.index(name) for name in names]
        whole = source.frame()
        if whole is not None:
            rows = whole.rows.filter(~whole.blank)
            return [rows.to_series(i).str.strip_chars().to_list() for i in at]
        read = [row for _, row in source.rows() if len(row) == len(header)]
    except (csv.Error, UnicodeDecodeError, OSError):
        return None
    return [[row[i].strip() for row in read] for i in at]


def _date(text: str) -> date | None:
    from assure.casedata.importer.reading import parse_date

    try:
        return parse_date(text) if text else None
    except ValueError:
        return None


def _census(sources: Mapping[str, TableSource]) -> Census | None:
    people = _columns(sources["ssd_person"], ("pers_person_id", "pers_dob", "pers_death_date"))
    if people is None:
        return None
    conferences: dict[str, tuple[date | None, date | None]] = {}  # s47 id -> (date, target)
    if "ssd_initial_cp_conference" in sources:
        found = _columns(
            sources["ssd_initial_cp_conference"],
            ("icpc_s47_enquiry_id", "icpc_icpc_date", "icpc_icpc_target_date"),
        )
        for s47_id, held, target in zip(*(found or ([], [], [])), strict=True):
            if s47_id:
                conferences[s47_id] = (_date(held), _date(target))
    enquiries: dict[str, list[Section47]] = defaultdict(list)
    if "ssd_s47_enquiry" in sources:
        found = _columns(
            sources["ssd_s47_enquiry"],
            ("s47e_s47_enquiry_id", "s47e_person_id", "s47e_s47_start_date", "s47e_s47_nfa"),
        )
        for s47_id, person, start, nfa in zip(*(found or ([], [], [], [])), strict=True):
            held, target = conferences.get(s47_id, (None, None))
            enquiries[person].append(Section47(_date(start), target, held, _FLAGS.get(nfa.lower())))
    reviews: dict[str, list[date | None]] = defaultdict(list)
    if "ssd_cp_reviews" in sources:
        found = _columns(sources["ssd_cp_reviews"], ("cppr_cp_plan_id", "cppr_cp_review_date"))
        for plan_id, held in zip(*(found or ([], [])), strict=True):
            if held:
                reviews[plan_id].append(_date(held))
    plans: dict[str, list[Plan]] = defaultdict(list)
    if "ssd_cp_plans" in sources:
        names = (
            "cppl_cp_plan_id",
            "cppl_person_id",
            "cppl_cp_plan_start_date",
            "cppl_cp_plan_end_date",
            "cppl_cp_plan_initial_category",
            "cppl_cp_plan_latest_category",
        )
        for plan_id, person, start, end, initial, latest in zip(
            *(_columns(sources["ssd_cp_plans"], names) or [[]] * len(names)), strict=True
        ):
            held = tuple(sorted((d for d in reviews[plan_id] if d), key=date.toordinal))
            plans[person].append(
                Plan(_date(start), _date(end), initial.upper(), latest.upper(), "0", held)
            )
    children = [
        Child(
            person,
            position,
            "",
            _date(birth),
            _date(death),
            (
                Episode(
                    None,
                    None,
                    "",
                    None,
                    None,
                    (),
                    (),
                    tuple(enquiries[person]),
                    tuple(plans[person]),
                ),
            ),
        )
        for position, (person, birth, death) in enumerate(zip(*people, strict=True), start=2)
    ]
    return Census(None, children)


def check_extract(sources: Mapping[str, TableSource]) -> list[RuleProblem]:
    """The findings of `SSD_RULES` over an extract of CSV files (none for rows given as dicts:
    a CIN census is checked with every rule as it is read)."""
    if "ssd_person" not in sources or any(s.path is None for s in sources.values()):
        return []
    census = _census(sources)
    return check_census(census, only=SSD_RULES) if census is not None else []
