"""Reading a DfE Children in Need census XML file into the case data contract's tables.

`read_cin(path)` streams the file with lxml, a chunk at a time (see `_Reading`): memory holds
a chunk's elements and the `Child` being read, whatever else the file has. It returns the rows
the census can fill (docs/domain.md section 5): `ssd_person`, `ssd_s47_enquiry`,
`ssd_initial_cp_conference`, `ssd_cp_plans`, `ssd_cp_reviews` and, from 2026-27,
`ssd_pre_proceedings`. Values are strings exactly as the CSV files would hold them (dates
`YYYY-MM-DD`, flags `Y`/`N`, blank for unknown).

Three layouts are read: the older one (`GenderCurrent`), 2024-25 (`Sex` replaces it) and
2026-27 (adds `PreProceedingsandFGDM` inside `CINdetails`).

Nothing here raises on bad input. Every problem becomes a `ChildError` naming the child
(`LAchildID`), the element path, the value and what was expected; a child with any error is
invalid. A file that is not well-formed XML, not a census, nested more than `MAX_DEPTH` deep or
without any child gives a file-level error with no child id. Rows derived from a child get
stable ids from the child id and their position, e.g. `<LAchildID>-S47-1`; an ICPC links to the
section 47 enquiry it is nested in, and a plan to the ICPC of the same `CINdetails` held on the
plan's start date. A child whose id, or an id made from it, is longer than the case data
contract allows is invalid.

Each Child element is also read into `cinrules.census` while in memory, and the DfE's child
protection rules (`assure.casedata.cinrules`) run over the whole census at the end: their
findings are `CinResult.rule_problems`, and a child failing an error rule is invalid.

Nothing is written to the database here: see `assure.casedata.importer.run.import_tables`, and
`census_problem` for saying its problems in the census's terms.
"""

from __future__ import annotations

import gc
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lxml import etree

from assure.casedata import contract
from assure.casedata.cinrules import RuleProblem, check_census
from assure.casedata.cinrules.census import (
    Census,
    Child,
    Index,
    index_of,
    local_name,
    parse_date,
    read_child,
)

if TYPE_CHECKING:
    from assure.casedata.importer.validation import Problem

__all__ = ["CIN_TABLES", "ChildError", "CinResult", "census_problem", "read_cin"]

CIN_TABLES = contract.CIN_TABLES
PERSON_COLUMN = {name: contract.PERSON_COLUMNS[name] for name in CIN_TABLES}
ETHNICITIES = frozenset(contract.ETHNICITIES)
CATEGORIES = frozenset(contract.CATEGORIES)
SEX_CODES = {"M": "M", "F": "F", "U": "U"}  # 2024-25 onwards
GENDER_CODES = {"1": "M", "2": "F", "0": "U", "9": "U"}  # older layout: GenderCurrent
PP_OUTCOMES = frozenset({"A", "B", "C"})  # code set CS131
BOOLEANS = {"true": True, "1": True, "false": False, "0": False}

# The element each contract column is read from (without positions such as CINdetails[2]).
COLUMN_ELEMENTS = contract.CIN_ELEMENTS

DATE_EXPECTED = "a date as YYYY-MM-DD"
# A census nests elements 7 deep (Message/Children/Child/CINdetails/Assessments/...). Deeper
# files are refused before they are read further: they are not censuses, and the per-child
# checks walk elements recursively.
MAX_DEPTH = 32
MAX_SHOWN = 120  # characters of a value shown in a message


def shorten(text: str) -> str:
    """Text to show in a message: very long values are cut, saying how long they were."""
    if len(text) <= MAX_SHOWN:
        return text
    return f"{text[: MAX_SHOWN - 1]}… ({len(text):,} characters)"


@dataclass(frozen=True)
class _Limit:
    length: int
    is_id: bool  # an id column: the CIN reader fills it with the child's id or one made from it


def _contract_limits() -> dict[str, dict[str, _Limit]]:
    """For each CIN table, the columns the importer refuses beyond a length, and that length."""
    ids = (contract.Kind.ID, contract.Kind.REF, contract.Kind.SOFT_REF)
    return {
        name: {
            c.name: _Limit(c.max_length, c.kind in ids)
            for c in contract.BY_NAME[name].columns
            if c.kind in ids or c.kind == contract.Kind.CODE  # longer text is cut, not refused
        }
        for name in CIN_TABLES
    }


LIMITS = _contract_limits()


@dataclass(frozen=True)
class ChildError:
    """One problem: whose (LAchildID; None when missing or file-level), where, what and why."""

    child_id: str | None
    path: str
    value: str
    expected: str
    position: int | None = None  # 1-based position of the Child element in the file

    @property
    def is_file_level(self) -> bool:
        return self.position is None and self.child_id is None

    @property
    def shown_value(self) -> str:
        """The value as a message shows it: quoted (cut if very long), or "(blank)"."""
        return repr(shorten(self.value)) if self.value else "(blank)"

    def __str__(self) -> str:
        if self.is_file_level:
            who = "File"
        elif self.child_id:
            who = f"Child {shorten(self.child_id)}"
        else:
            who = f"Child #{self.position} (no LAchildID)"
        return f"{who}: {self.path}: {self.shown_value}; expected {self.expected}"


@dataclass
class CinResult:
    tables: dict[str, list[dict[str, str]]] = field(
        default_factory=lambda: {name: [] for name in CIN_TABLES}
    )
    errors: list[ChildError] = field(default_factory=list)
    warnings: list[ChildError] = field(default_factory=list)
    valid_child_ids: list[str] = field(default_factory=list)
    invalid_child_ids: list[str] = field(default_factory=list)
    children: int = 0
    layout: str = ""  # "older", "2024-25" or "2026-27"
    reference_date: str = ""
    # The DfE's child protection rules (assure.casedata.cinrules): a child failing an error
    # rule is invalid; queries are reported only.
    rule_problems: list[RuleProblem] = field(default_factory=list)

    @property
    def rule_errors(self) -> list[RuleProblem]:
        return [p for p in self.rule_problems if p.is_error]

    @property
    def file_errors(self) -> list[ChildError]:
        return [e for e in self.errors if e.is_file_level]

    @property
    def ok(self) -> bool:
        return not self.errors

    def errors_for(self, child_id: str) -> list[ChildError]:
        return [e for e in self.errors if e.child_id == child_id]

    def tables_for(self, child_ids: Iterable[str]) -> dict[str, list[dict[str, str]]]:
        """The rows belonging to the given children only (e.g. the valid ones)."""
        wanted = set(child_ids)
        return {
            name: [row for row in rows if row[PERSON_COLUMN[name]] in wanted]
            for name, rows in self.tables.items()
        }

    def valid_tables(self) -> dict[str, list[dict[str, str]]]:
        return self.tables_for(self.valid_child_ids)

    def tables_to_import(self, *, only_valid: bool = True) -> dict[str, list[dict[str, str]]]:
        """Tables for import_tables: the valid children's rows, leaving out tables with no rows.

        A census with no (say) Section47 module says nothing about enquiries, so those tables
        are left unknown rather than imported as empty.
        """
        tables = self.valid_tables() if only_valid else self.tables
        return {name: rows for name, rows in tables.items() if rows or name == "ssd_person"}


_local = local_name


_BLANK_ROWS = {name: dict.fromkeys(contract.BY_NAME[name].column_names, "") for name in CIN_TABLES}


def _blank_row(table: str) -> dict[str, str]:
    return _BLANK_ROWS[table].copy()


class _Indexes(dict[ET.Element, Index]):
    """Each element's children by tag, worked out once for both readings of a child: the
    contract's rows (`_ChildReader`) and the DfE rules' records (`read_child`)."""

    def __missing__(self, element: ET.Element) -> Index:
        index = self[element] = index_of(element)
        return index


def _has_stray_text(element: ET.Element) -> bool:
    """Whether any element inside has text beside its sub-elements (one flat pass)."""
    for inner in element.iter():
        if len(inner) and inner.text and not inner.text.isspace():
            return True
        if inner is not element and inner.tail and not inner.tail.isspace():
            return True
    return False


class _ChildReader:
    """Reads one Child element into rows, collecting its problems."""

    def __init__(
        self,
        element: ET.Element,
        position: int,
        reference: date | None,
        *,
        stray_text_possible: bool = True,
    ) -> None:
        self.element = element
        self.indexes = _Indexes()
        self.stray_text_possible = stray_text_possible
        self.position = position
        self.reference = reference
        self.child_id: str | None = None
        self.errors: list[ChildError] = []
        self.warnings: list[ChildError] = []
        self.rows: dict[str, list[dict[str, str]]] = {name: [] for name in CIN_TABLES}
        self.has_sex = False
        self.has_gender = False
        self.has_pre_proceedings = False
        self.death: date | None = None
        self.mapped_dates: list[tuple[str, date]] = []  # (path, date) of imported events
        self.counters: dict[str, int] = {}

    # ---- problems and values ------------------------------------------------------------------

    def error(self, path: str, value: str, expected: str) -> None:
        self.errors.append(ChildError(self.child_id, path, value, expected, self.position))

    def warn(self, path: str, value: str, expected: str) -> None:
        self.warnings.append(ChildError(self.child_id, path, value, expected, self.position))

    def _one(self, parent: ET.Element, tag: str, path: str) -> ET.Element | None:
        found = self.indexes[parent].get(tag)
        if not found:
            return None
        if len(found) > 1:
            self.error(f"{path}/{tag}", "", f"at most one {tag} element, found {len(found)}")
        return found[0]

    def text(self, parent: ET.Element, tag: str, path: str) -> str:
        found = self.indexes[parent].get(tag)
        if not found:
            return ""
        if len(found) > 1:
            self.error(f"{path}/{tag}", "", f"at most one {tag} element, found {len(found)}")
        element = found[0]
        if len(element):
            self.error(f"{path}/{tag}", "", "a value, not nested elements")
            return ""
        return (element.text or "").strip()

    def read_date(
        self,
        parent: ET.Element,
        tag: str,
        path: str,
        *,
        required: bool = False,
        mapped: bool = True,
        planned: bool = False,
    ) -> date | None:
        """A date; `planned` ones (a target, an expected birth) may be after the reference."""
        text = self.text(parent, tag, path)
        if not text:
            if required:
                self.error(f"{path}/{tag}", "", f"{DATE_EXPECTED} (required)")
            return None
        value = parse_date(text)
        if value is None:
            self.error(f"{path}/{tag}", text, f"{DATE_EXPECTED} that exists")
            return None
        if mapped:
            self.mapped_dates.append((f"{path}/{tag}", value))
        if self.reference is not None and value > self.reference and not planned:
            self.warn(
                f"{path}/{tag}",
                text,
                f"a date on or before the census reference date {self.reference}",
            )
        return value

    def code(
        self, parent: ET.Element, tag: str, path: str, allowed: Iterable[str], what: str
    ) -> str:
        text = self.text(parent, tag, path)
        if text and text not in allowed:
            self.error(f"{path}/{tag}", text, f"{what}: one of {', '.join(sorted(allowed))}")
            return ""
        return text

    def boolean(self, parent: ET.Element, tag: str, path: str) -> bool | None:
        text = self.text(parent, tag, path)
        if not text:
            return None
        if text.lower() not in BOOLEANS:
            self.error(f"{path}/{tag}", text, "true or false (or 1 or 0)")
            return None
        return BOOLEANS[text.lower()]

    def stray_text(self, element: ET.Element, path: str) -> None:
        """Text between elements (not inside a leaf) is a sign of a damaged record."""
        if not _has_stray_text(element):
            return  # as nearly always: no need to walk it saying where
        if len(element) and element.text and element.text.strip():
            self.error(path, element.text.strip(), "no text between elements")
        counts: dict[str, int] = {}
        for sub in element:
            tag = _local(sub.tag)
            counts[tag] = counts.get(tag, 0) + 1
            sub_path = f"{path}/{tag}" if counts[tag] == 1 else f"{path}/{tag}[{counts[tag]}]"
            if sub.tail and sub.tail.strip():
                self.error(f"{path} (after {tag})", sub.tail.strip(), "no text between elements")
            self.stray_text(sub, sub_path)

    # ---- the child ------------------------------------------------------------------------

    def read(self) -> None:
        child = self.element
        identifiers = self._one(child, "ChildIdentifiers", "Child")
        if identifiers is None:
            self.error("Child/ChildIdentifiers", "", "a ChildIdentifiers element with LAchildID")
            if self.stray_text_possible:
                self.stray_text(child, "Child")
            return
        raw_id = self.text(identifiers, "LAchildID", "ChildIdentifiers")
        if raw_id:
            self.child_id = raw_id
            # Problems found so far (none usually) did not know the id yet.
            self.errors = [
                ChildError(raw_id, e.path, e.value, e.expected, e.position) for e in self.errors
            ]
        else:
            self.error("ChildIdentifiers/LAchildID", "", "the child's id (LAchildID)")
        if self.stray_text_possible:
            self.stray_text(child, "Child")
        self._person(identifiers)
        for n, details in enumerate(self.indexes[child].get("CINdetails", ()), 1):
            self._cin_details(details, f"CINdetails[{n}]")
        self._after_death()
        self._check_lengths()

    def _person(self, ids: ET.Element) -> None:
        path = "ChildIdentifiers"
        dob = self.read_date(ids, "PersonBirthDate", path, mapped=False)
        expected = self.read_date(ids, "ExpectedPersonBirthDate", path, mapped=False, planned=True)
        death = self.read_date(ids, "PersonDeathDate", path, mapped=False)
        sex = ""
        if self._one(ids, "Sex", path) is not None:
            self.has_sex = True
            sex = SEX_CODES.get(self.code(ids, "Sex", path, SEX_CODES, "a sex code"), "")
        if self._one(ids, "GenderCurrent", path) is not None:
            self.has_gender = True
            gender = self.code(ids, "GenderCurrent", path, GENDER_CODES, "a gender code")
            sex = sex or GENDER_CODES.get(gender, "")
        characteristics = self._one(self.element, "ChildCharacteristics", "Child")
        ethnicity = ""
        if characteristics is not None:
            ethnicity = self.code(
                characteristics,
                "Ethnicity",
                "ChildCharacteristics",
                ETHNICITIES,
                "an ethnicity code",
            )
        if dob is None and expected is None:
            self.warn(f"{path}/PersonBirthDate", "", "a date of birth or expected date of birth")
        if death is not None and dob is not None and death < dob:
            self.error(
                f"{path}/PersonDeathDate",
                death.isoformat(),
                f"a date on or after the date of birth {dob.isoformat()}",
            )
        self.death = death
        row = _blank_row("ssd_person")
        row.update(
            {
                "pers_person_id": self.child_id or "",
                "pers_sex": sex,
                "pers_ethnicity": ethnicity,
                "pers_dob": dob.isoformat() if dob else "",
                "pers_expected_dob": expected.isoformat() if expected else "",
                "pers_death_date": death.isoformat() if death else "",
            }
        )
        self.rows["ssd_person"].append(row)

    def _next_id(self, kind: str) -> str:
        """A stable id for a derived row: child id, kind and position within the child."""
        count = self.counters.get(kind, 0) + 1
        self.counters[kind] = count
        return f"{self.child_id or f'#{self.position}'}-{kind}-{count}"

    def _cin_details(self, details: ET.Element, path: str) -> None:
        referral = self.read_date(details, "CINreferralDate", path, mapped=False)
        closure = self.read_date(details, "CINclosureDate", path, mapped=False)
        if referral and closure and closure < referral:
            self.warn(
                f"{path}/CINclosureDate",
                closure.isoformat(),
                f"a date on or after the referral date {referral.isoformat()}",
            )
        if referral and self.death and referral > self.death:
            self.warn(
                f"{path}/CINreferralDate",
                referral.isoformat(),
                f"a date on or before the child's death {self.death.isoformat()}",
            )
        icpcs: list[dict[str, str]] = []
        index = self.indexes[details]
        for n, s47 in enumerate(index.get("Section47", ()), 1):
            icpc = self._section47(s47, f"{path}/Section47[{n}]")
            if icpc is not None:
                icpcs.append(icpc)
        episode_icpc = self.read_date(details, "DateOfInitialCPC", path)
        if episode_icpc and not any(r["icpc_icpc_date"] == episode_icpc.isoformat() for r in icpcs):
            row = _blank_row("ssd_initial_cp_conference")
            row.update(
                {
                    "icpc_icpc_id": self._next_id("ICPC"),
                    "icpc_person_id": self.child_id or "",
                    "icpc_icpc_date": episode_icpc.isoformat(),
                }
            )
            self.rows["ssd_initial_cp_conference"].append(row)
            icpcs.append(row)
        for n, cpp in enumerate(index.get("ChildProtectionPlans", ()), 1):
            self._plan(cpp, f"{path}/ChildProtectionPlans[{n}]", icpcs)
        for n, pp in enumerate(index.get("PreProceedingsandFGDM", ()), 1):
            self.has_pre_proceedings = True
            self._pre_proceedings(pp, f"{path}/PreProceedingsandFGDM[{n}]")

    def _section47(self, s47: ET.Element, path: str) -> dict[str, str] | None:
        start = self.read_date(s47, "S47ActualStartDate", path, required=True)
        target = self.read_date(s47, "InitialCPCtarget", path, mapped=False, planned=True)
        icpc_date = self.read_date(s47, "DateOfInitialCPC", path)
        not_required = self.boolean(s47, "ICPCnotRequired", path)
        s47_id = self._next_id("S47")
        row = _blank_row("ssd_s47_enquiry")
        row.update(
            {
                "s47e_s47_enquiry_id": s47_id,
                "s47e_person_id": self.child_id or "",
                "s47e_s47_start_date": start.isoformat() if start else "",
                "s47e_s47_nfa": "" if not_required is None else ("Y" if not_required else "N"),
            }
        )
        self.rows["ssd_s47_enquiry"].append(row)
        if icpc_date is None:
            return None
        if start is not None and icpc_date < start:
            self.error(
                f"{path}/DateOfInitialCPC",
                icpc_date.isoformat(),
                f"a date on or after the enquiry's start {start.isoformat()}",
            )
        if not_required:
            self.error(
                f"{path}/DateOfInitialCPC",
                icpc_date.isoformat(),
                "no conference date when ICPCnotRequired is true",
            )
        icpc = _blank_row("ssd_initial_cp_conference")
        icpc.update(
            {
                "icpc_icpc_id": self._next_id("ICPC"),
                "icpc_person_id": self.child_id or "",
                "icpc_s47_enquiry_id": s47_id,
                "icpc_icpc_transfer_in": "N",
                "icpc_icpc_target_date": target.isoformat() if target else "",
                "icpc_icpc_date": icpc_date.isoformat(),
            }
        )
        self.rows["ssd_initial_cp_conference"].append(icpc)
        return icpc

    def _plan(self, cpp: ET.Element, path: str, icpcs: list[dict[str, str]]) -> None:
        start = self.read_date(cpp, "CPPstartDate", path, required=True)
        end = self.read_date(cpp, "CPPendDate", path)
        initial = self.code(cpp, "InitialCategoryOfAbuse", path, CATEGORIES, "a category of abuse")
        latest = self.code(cpp, "LatestCategoryOfAbuse", path, CATEGORIES, "a category of abuse")
        previous = self.text(cpp, "NumberOfPreviousCPP", path)
        if previous and not previous.isdigit():
            self.error(f"{path}/NumberOfPreviousCPP", previous, "a whole number")
        if start and end and end < start:
            self.error(
                f"{path}/CPPendDate",
                end.isoformat(),
                f"a date on or after the plan's start {start.isoformat()}",
            )
        plan_id = self._next_id("CPP")
        icpc_id = ""
        if start is not None:
            for icpc in icpcs:
                if icpc["icpc_icpc_date"] == start.isoformat() and not icpc["icpc_cp_plan_id"]:
                    icpc["icpc_cp_plan_id"] = plan_id
                    icpc["icpc_icpc_outcome_cp_flag"] = "Y"
                    icpc_id = icpc["icpc_icpc_id"]
                    break
        if start is not None and not icpc_id:
            self.warn(
                f"{path}/CPPstartDate",
                start.isoformat(),
                "the date of an initial conference in the same CINdetails (a plan starts at one)",
            )
        row = _blank_row("ssd_cp_plans")
        row.update(
            {
                "cppl_cp_plan_id": plan_id,
                "cppl_person_id": self.child_id or "",
                "cppl_icpc_id": icpc_id,
                "cppl_cp_plan_start_date": start.isoformat() if start else "",
                "cppl_cp_plan_end_date": end.isoformat() if end else "",
                "cppl_cp_plan_initial_category": initial,
                "cppl_cp_plan_latest_category": latest,
            }
        )
        self.rows["ssd_cp_plans"].append(row)
        n = 0
        for reviews in self.indexes[cpp].get("Reviews", ()):
            for review in self.indexes[reviews].get("CPPreviewDate", ()):
                n += 1
                review_path = f"{path}/Reviews/CPPreviewDate[{n}]"
                text = (review.text or "").strip()
                when = self._parse_date(text, review_path)
                if when is None:
                    continue
                if start and when < start:
                    self.error(
                        review_path,
                        text,
                        f"a date on or after the plan's start {start.isoformat()}",
                    )
                if end and when > end:
                    self.error(
                        review_path, text, f"a date on or before the plan's end {end.isoformat()}"
                    )
                row = _blank_row("ssd_cp_reviews")
                row.update(
                    {
                        "cppr_cp_review_id": f"{plan_id}-R{n}",
                        "cppr_person_id": self.child_id or "",
                        "cppr_cp_plan_id": plan_id,
                        "cppr_cp_review_date": when.isoformat(),
                    }
                )
                self.rows["ssd_cp_reviews"].append(row)

    def _parse_date(self, text: str, path: str) -> date | None:
        if not text:
            self.error(path, "", DATE_EXPECTED)
            return None
        try:
            if len(text) != 10:
                raise ValueError(text)
            value = date.fromisoformat(text)
        except ValueError:
            self.error(path, text, f"{DATE_EXPECTED} that exists")
            return None
        self.mapped_dates.append((path, value))
        if self.reference is not None and value > self.reference:
            self.warn(path, text, f"a date on or before the census reference date {self.reference}")
        return value

    def _pre_proceedings(self, pp: ET.Element, path: str) -> None:
        start = self.read_date(pp, "PPStartDate", path, required=True)
        letter = self.read_date(pp, "LBPSentDate", path)
        meeting = self.read_date(pp, "InitialPPMeetingDate", path)
        decided = self.read_date(pp, "StepDecisionDate", path)
        outcome = self.code(pp, "PPOutcome", path, PP_OUTCOMES, "a pre-proceedings outcome")
        for tag in ("FGDMMeetingOffer", "FGDMMeetingFac"):
            self.boolean(pp, tag, path)
        count = self.text(pp, "ReviewMeetingsCount", path)
        if count and not count.isdigit():
            self.error(f"{path}/ReviewMeetingsCount", count, "a whole number")
        self.read_date(pp, "CourtAppDate", path, mapped=False)
        self.read_date(pp, "LetterInitCPDate", path, mapped=False)
        for tag, value in (
            ("LBPSentDate", letter),
            ("InitialPPMeetingDate", meeting),
            ("StepDecisionDate", decided),
        ):
            if start and value and value < start:
                self.error(
                    f"{path}/{tag}",
                    value.isoformat(),
                    f"a date on or after the pre-proceedings start {start.isoformat()}",
                )
        row = _blank_row("ssd_pre_proceedings")
        row.update(
            {
                "prep_table_id": self._next_id("PP"),
                "prep_person_id": self.child_id or "",
                "prep_pre_pro_decision_date": start.isoformat() if start else "",
                "prep_pre_pro_letter_date": letter.isoformat() if letter else "",
                "prep_initial_pre_pro_meeting_date": meeting.isoformat() if meeting else "",
                "prep_pre_pro_outcome": outcome,
                "prep_agree_stepdown_issue_date": decided.isoformat() if decided else "",
            }
        )
        self.rows["ssd_pre_proceedings"].append(row)

    def _check_lengths(self) -> None:
        """Values longer than the contract allows: ids (the child's, and those made from it)."""
        if self.child_id is None:
            return  # already invalid; its records' ids are made from its position
        child_id = self.child_id
        too_long = False  # an id made from the child's is too long
        for table, rows in self.rows.items():
            if not rows:
                continue
            for row in rows:
                for column, limit in LIMITS[table].items():
                    value = row[column]
                    if limit.is_id and value.startswith(child_id):
                        too_long |= len(value) > limit.length
                    elif len(value) > limit.length:
                        self.error(
                            COLUMN_ELEMENTS.get(column, column),
                            value,
                            f"at most {limit.length} characters (this one has {len(value):,})",
                        )
        if not too_long:
            return
        made = [(len(child_id), child_id, 0)]  # (room left, an id made from the child's, limit)
        for table, rows in self.rows.items():
            for row in rows:
                for column, limit in LIMITS[table].items():
                    value = row[column]
                    if limit.is_id and value.startswith(child_id):
                        made.append((limit.length - len(value), value, limit.length))
        room, longest, longest_limit = min(made)
        allowed = len(child_id) + room
        expected = f"an id of at most {allowed} characters (this one has {len(child_id):,})"
        if longest != child_id:
            expected += (
                f", so that the ids made from it for the child's records fit in "
                f"{longest_limit} characters, such as {shorten(longest)!r}"
            )
        self.error("ChildIdentifiers/LAchildID", child_id, expected)

    def _after_death(self) -> None:
        if self.death is None:
            return
        for path, value in self.mapped_dates:
            if value > self.death:
                self.error(
                    path,
                    value.isoformat(),
                    f"a date on or before the child's death {self.death.isoformat()}",
                )


def _file_error(
    result: CinResult, message: str, value: str = "", *, path: str = "file"
) -> CinResult:
    result.errors.append(ChildError(None, path, value, message))
    return result


# Census files are uploaded: entities are never expanded or fetched, no DTD is loaded and
# nothing is read from the network; a file declaring entities is refused before any child is
# read (see `_Reading.start`), as defusedxml refuses it. Comments and processing instructions
# are dropped (text on both sides of a comment joins up), and so is whitespace between elements.
_PARSER_OPTIONS = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "huge_tree": False,
    "remove_comments": True,
    "remove_pis": True,
    "remove_blank_text": True,  # whitespace between elements: never stray text, and half the nodes
}
type XmlElement = Any  # an lxml element (lxml is not typed here)
# The only elements whose events are read one by one; everything else is read in C.
_EVENT_TAGS = ("{*}Message", "{*}ReferenceDate", "{*}Child")
CHUNK_BYTES = 256 * 1024
# The first element (in document order) nested more than MAX_DEPTH deep, counting the root.
_FIRST_TOO_DEEP = etree.XPath("(" + "/".join(["*"] * MAX_DEPTH) + ")[1]")
# Whether any element with sub-elements has text beside them: stray text may then be in a
# child (or between children, which is allowed), so the children are checked one by one.
_ANY_MIXED_TEXT = etree.XPath("boolean(//*[*]/text()[normalize-space()])")


class _Reading:
    """The state of reading one census: the file's events arrive a chunk at a time (`take`),
    and what has been read is dropped from the tree after each chunk (`prune`), so that memory
    holds a chunk's worth of elements and the child being read, whatever else the file has."""

    def __init__(self, result: CinResult) -> None:
        self.result = result
        self.root_checked = False
        self.root: XmlElement | None = None
        self.child: XmlElement | None = None  # the census Child being read, until it ends
        self.reference: date | None = None
        self.seen: dict[str, int] = {}  # child id -> position of its first Child element
        self.duplicates: set[str] = set()
        self.valid: list[str] = []
        self.has_sex = self.has_gender = self.has_pp = False
        self.census_children: list[Child] = []  # what the DfE's rules read, child by child

    def start(self, root: XmlElement) -> bool:
        """The document has begun (its internal DTD is read): False if it must be refused."""
        self.root = root
        dtd = root.getroottree().docinfo.internalDTD
        entities = [entity.name for entity in dtd.iterentities()] if dtd is not None else []
        if entities:
            _file_error(
                self.result,
                "an XML file without entity declarations or external references",
                f"entity declared: {shorten(entities[0])}",
            )
            return False
        return True

    def take(self, events: list[tuple[str, XmlElement]]) -> bool:
        """Read a chunk's events; False if the file is refused (the result says why)."""
        if self.root is None:
            if not events:
                return True
            if not self.start(events[0][1].getroottree().getroot()):
                return False
        assert self.root is not None
        too_deep = _FIRST_TOO_DEEP(self.root)
        stray_text_possible = _ANY_MIXED_TEXT(self.root)
        for event, element in events:
            tag = _local(element.tag)
            if event == "start":
                if self.child is None and tag == "Child":
                    parent = element.getparent()
                    if parent is not None and _local(parent.tag) == "Children":
                        self.child = element  # a child's parts are kept until it ends
                continue
            if element is self.child:
                if too_deep and not _ended_before(element, too_deep[0], self.root):
                    break
                self.child = None
                self.read_child(element, stray_text_possible=stray_text_possible)
            elif tag == "ReferenceDate" and any(
                _local(e.tag) == "Header" for e in element.iterancestors()
            ):
                self.read_reference(element)
        if too_deep:
            shown = [*reversed(list(too_deep[0].iterancestors())), too_deep[0]][:6]
            _file_error(
                self.result,
                f"elements nested at most {MAX_DEPTH} deep (a census needs 7): the file "
                "is nested too deeply to be a CIN census",
                f"more than {MAX_DEPTH} nested elements",
                path=f"{'/'.join(_local(e.tag) for e in shown)}/…",
            )
            return False
        self.prune()
        return True

    def prune(self) -> None:
        """Drop every element read to the end, except those of the child being read.

        The elements still open are each the last of their parent's, so only the last element
        of each level is kept (it may be open), down to the child being read.
        """
        element = self.root
        while element is not None and element is not self.child:
            count = len(element)
            if not count:
                return
            if count > 1:
                del element[: count - 1]
            element = element[0]

    def read_reference(self, element: XmlElement) -> None:
        text = (element.text or "").strip()
        try:
            self.reference = date.fromisoformat(text)
            self.result.reference_date = text
        except ValueError:
            self.result.warnings.append(
                ChildError(None, "Header/CollectionDetails/ReferenceDate", text, DATE_EXPECTED)
            )

    def read_child(self, element: XmlElement, *, stray_text_possible: bool) -> None:
        result = self.result
        result.children += 1
        position = result.children
        reader = _ChildReader(
            element, position, self.reference, stray_text_possible=stray_text_possible
        )
        reader.read()
        self.census_children.append(read_child(element, position, reader.indexes.__getitem__))
        self.has_sex |= reader.has_sex
        self.has_gender |= reader.has_gender
        self.has_pp |= reader.has_pre_proceedings
        result.warnings.extend(reader.warnings)
        child_id = reader.child_id
        if child_id is None:
            result.errors.extend(reader.errors)
            result.invalid_child_ids.append(f"#{position}")
            return
        if child_id in self.seen:
            result.errors.append(
                ChildError(
                    child_id,
                    "ChildIdentifiers/LAchildID",
                    child_id,
                    f"an id no other child has (also child #{self.seen[child_id]} in this file)",
                    position,
                )
            )
            result.errors.extend(reader.errors)
            self.duplicates.add(child_id)
            return
        self.seen[child_id] = position
        result.errors.extend(reader.errors)
        for name, rows in reader.rows.items():
            if rows:
                result.tables[name].extend(rows)
        if reader.errors:
            result.invalid_child_ids.append(child_id)
        else:
            self.valid.append(child_id)

    def finish(self) -> CinResult:
        """The DfE's rules over the whole census, and which children are valid."""
        result = self.result
        if not result.children and not result.errors:
            # Imported, an empty census would remove every child's records.
            return _file_error(
                result,
                "at least one Child element: the census has no children",
                path="Message/Children",
            )
        result.rule_problems = check_census(Census(self.reference, self.census_children))
        failing = self.duplicates | {p.child for p in result.rule_errors if p.child is not None}
        valid = self.valid
        if failing:
            valid = [child_id for child_id in valid if child_id not in failing]
            known = set(result.invalid_child_ids)
            result.invalid_child_ids.extend(c for c in sorted(failing) if c not in known)
        result.valid_child_ids = valid
        result.layout = "2026-27" if self.has_pp else ("2024-25" if self.has_sex else "older")
        if not self.has_sex and not self.has_gender and result.children:
            result.layout = "unknown"
        return result


def _ended_before(child: XmlElement, deep: XmlElement, root: XmlElement) -> bool:
    """Whether `child` ended before `deep` began (so the child is read before the file is
    refused for `deep`, as it would be reading the file element by element)."""
    if any(ancestor is child for ancestor in deep.iterancestors()):
        return False
    for element in root.iter():
        if element is child:
            return True
        if element is deep:
            return False
    return False


def _feed(parser: etree.XMLPullParser, chunk: bytes) -> None:
    """The next chunk of the file, or (an empty chunk) its end."""
    if chunk:
        parser.feed(chunk)
    else:
        parser.close()


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """Reading makes a few hundred thousand objects and no reference cycles: Python's cycle
    collector would walk them again and again as they accumulate (a tenth of the time)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def read_cin(path: Path | str) -> CinResult:
    """Read a CIN census XML file; never raises for bad content (see the module docstring)."""
    with _without_cycle_collection():
        return _read_cin(path)


def _read_cin(path: Path | str) -> CinResult:
    result = CinResult()
    reading = _Reading(result)
    # The root's tag is found by a parser of its own, reporting every element's start until the
    # first: the other reports only the elements named in _EVENT_TAGS.
    probe: etree.XMLPullParser | None = etree.XMLPullParser(events=("start",), **_PARSER_OPTIONS)
    parser = etree.XMLPullParser(events=("start", "end"), tag=_EVENT_TAGS, **_PARSER_OPTIONS)
    try:
        with open(path, "rb") as source:
            while True:
                chunk = source.read(CHUNK_BYTES)
                fault: etree.ParseError | None = None  # raised once the events before it are read
                if probe is not None:
                    try:
                        _feed(probe, chunk)
                    except etree.ParseError as exc:
                        fault = exc
                    first = next(iter(probe.read_events()), None)
                    if first is not None:
                        reading.root_checked = True
                        probe = None
                        if _local(first[1].tag) != "Message":
                            return _file_error(
                                result,
                                "a CIN census XML file (root element Message)",
                                _local(first[1].tag),
                            )
                try:
                    _feed(parser, chunk)
                except etree.ParseError as exc:
                    fault = exc
                events = list(parser.read_events())
                if fault is not None and not chunk:
                    events = []  # ending a cut file ends its open elements too: not read
                if not reading.take(events):
                    return result
                if fault is not None:
                    raise fault
                if not chunk:
                    break
    except etree.ParseError as exc:
        line, column = exc.position
        message = getattr(exc, "msg", "") or str(exc)
        if not reading.root_checked or (result.children == 0 and line <= 1):
            return _file_error(result, "a well-formed XML file (CIN census)", message)
        _file_error(result, f"well-formed XML (broken at line {line}, column {column})", message)
    except OSError as exc:
        return _file_error(result, "a readable XML file", str(exc))
    if not reading.root_checked:
        return _file_error(result, "a CIN census XML file", "empty file")
    return reading.finish()


def census_problem(problem: Problem, tables: Mapping[str, list[dict[str, str]]]) -> ChildError:
    """A problem `import_tables` found in census rows, said of the child and element it is from.

    `tables` must be what was given to `import_tables`: a problem's row is the position of the
    row in its table, counted from 2 (as if in a CSV file under its header row).
    """
    table = problem.file.removesuffix(".csv")
    rows = tables.get(table, [])
    row_number = problem.row
    element = COLUMN_ELEMENTS.get(problem.column, problem.column)
    if row_number is None or not 2 <= row_number < len(rows) + 2:
        return ChildError(None, element or "file", problem.value, problem.expected)
    row = rows[row_number - 2]
    record_id = row[contract.BY_NAME[table].id_column.name]
    return ChildError(
        row[PERSON_COLUMN[table]] or None,
        f"{element} (record {record_id})",
        problem.value,
        problem.expected,
    )
