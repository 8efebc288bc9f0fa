"""The DfE's child protection rules over an SSD extract, where its tables hold the data.

An SSD extract has no CIN episodes, referrals, assessments or census year: each child's section
47 enquiries (with the initial conference each led to) and protection plans (with their review
conferences) are read as one episode, and only the rules that read nothing more run
(`SSD_RULES`). Their findings are reported with the rule's code; they do not refuse the extract
(its own checks, `importer.validation`, do that).

Nearly every child passes, so the extract is not made into a `Census` whole: each rule's
`suspects` first finds, on the tables' columns (`Tables`), the children who may fail it, and
only those children are read into the census the rules' own checks then read. The findings
are those of checking every child (a test compares the two).
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, NamedTuple

import polars as pl

from assure.casedata.cinrules import RuleProblem, check_census, rules
from assure.casedata.cinrules.census import Census, Child, Episode, Plan, Section47

if TYPE_CHECKING:
    from assure.casedata.importer.reading import TableSource

__all__ = ["SSD_RULES", "Tables", "check_extract"]

SSD_RULES = ("8615", "8840", "8841", "8870Q", "8875", "8915", "8920", "8935", "8940")
_FLAGS = {"y": True, "yes": True, "1": True, "true": True, "n": False, "no": False, "0": False}


class _Read(NamedTuple):
    """The columns of the extract that the rules read, as stripped text, in the files' order
    (a table the extract lacks, or cannot be read, is empty)."""

    people: pl.DataFrame  # position (of the row, the first being 2), person, birth, death
    conferences: pl.DataFrame  # s47, held, target
    enquiries: pl.DataFrame  # s47, person, start, nfa
    reviews: pl.DataFrame  # plan, held
    plans: pl.DataFrame  # plan, person, start, end, initial, latest


_COLUMNS = {  # each table's columns as _Read names them
    "ssd_person": {"pers_person_id": "person", "pers_dob": "birth", "pers_death_date": "death"},
    "ssd_initial_cp_conference": {
        "icpc_s47_enquiry_id": "s47",
        "icpc_icpc_date": "held",
        "icpc_icpc_target_date": "target",
    },
    "ssd_s47_enquiry": {
        "s47e_s47_enquiry_id": "s47",
        "s47e_person_id": "person",
        "s47e_s47_start_date": "start",
        "s47e_s47_nfa": "nfa",
    },
    "ssd_cp_reviews": {"cppr_cp_plan_id": "plan", "cppr_cp_review_date": "held"},
    "ssd_cp_plans": {
        "cppl_cp_plan_id": "plan",
        "cppl_person_id": "person",
        "cppl_cp_plan_start_date": "start",
        "cppl_cp_plan_end_date": "end",
        "cppl_cp_plan_initial_category": "initial",
        "cppl_cp_plan_latest_category": "latest",
    },
}


@dataclass(frozen=True)
class Tables:
    """What the SSD rules read, as columns, for each rule's `suspects`: ids as written
    (stripped), dates as `census.Census` holds them (null when missing or not a date).

    `people`: person, death. `enquiries`: person, start, target, icpc (the target and date of
    the initial conference recorded against the enquiry). `plans`: row (its place in the
    file), plan (its id), person, start, end. `reviews`: plan (its id), held (its date; only
    reviews with one).
    """

    people: pl.DataFrame
    enquiries: pl.DataFrame
    plans: pl.DataFrame
    reviews: pl.DataFrame


def _frame(sources: Mapping[str, TableSource], table: str) -> pl.DataFrame | None:
    """The table's columns that the rules read, stripped text; None if the file lacks one or
    cannot be read (the extract's own checks report that)."""
    names = _COLUMNS[table]
    source = sources[table]
    try:
        header = [name.lower() for name in source.header]
        if any(name not in header for name in names):
            return None
        at = [header.index(name) for name in names]
        whole = source.frame()
        if whole is not None:
            rows = whole.rows.filter(~whole.blank)
            return pl.DataFrame(
                [
                    rows.to_series(i).str.strip_chars().alias(n)
                    for i, n in zip(at, names.values(), strict=True)
                ]
            )
        read = [row for _, row in source.rows() if len(row) == len(header)]
    except (csv.Error, UnicodeDecodeError, OSError):
        return None
    return pl.DataFrame(
        {n: [row[i].strip() for row in read] for i, n in zip(at, names.values(), strict=True)},
        schema=dict.fromkeys(names.values(), pl.String),
    )


def _read(sources: Mapping[str, TableSource]) -> _Read | None:
    people = _frame(sources, "ssd_person")
    if people is None:
        return None
    others = []
    for name in ("ssd_initial_cp_conference", "ssd_s47_enquiry", "ssd_cp_reviews", "ssd_cp_plans"):
        frame = _frame(sources, name) if name in sources else None
        empty = pl.DataFrame(schema=dict.fromkeys(_COLUMNS[name].values(), pl.String))
        others.append(frame if frame is not None else empty)
    return _Read(people.with_row_index("position", offset=2), *others)


def _date(text: str) -> date | None:
    from assure.casedata.importer.reading import parse_date

    try:
        return parse_date(text) if text else None
    except ValueError:
        return None


def _dates(text: pl.Series) -> pl.Series:
    """The text as dates, each distinct value read by `_date` (so exactly as the census holds
    it; an extract has a few thousand distinct dates)."""
    if text.is_empty():  # (polars then gives back the text, whatever the dtype asked for)
        return pl.Series(text.name, [], dtype=pl.Date)
    values = text.unique()
    parsed = pl.Series([_date(value) for value in values], dtype=pl.Date)
    return text.replace_strict(values, parsed, return_dtype=pl.Date)


def _parsed(frame: pl.DataFrame, **dates: str) -> pl.DataFrame:
    """`frame` with the text column named by each value of `dates` read as dates, under the
    value's key."""
    return frame.with_columns(**{into: _dates(frame[name]) for into, name in dates.items()})


def _tables(read: _Read) -> Tables:
    conferences = _parsed(
        # The last conference recorded against an enquiry is the one the census holds.
        read.conferences.filter(pl.col("s47") != "").unique("s47", keep="last"),
        icpc="held",
        target="target",
    ).select("s47", "icpc", "target")
    enquiries = (
        _parsed(read.enquiries, start="start")
        .select("s47", "person", "start")
        .join(conferences, on="s47", how="left")
    )
    plans = _parsed(read.plans.with_row_index("row"), start="start", end="end")
    reviews = _parsed(read.reviews, held="held").filter(pl.col("held").is_not_null())
    return Tables(
        _parsed(read.people, death="death").select("person", "death"),
        enquiries,
        plans.select("row", "plan", "person", "start", "end"),
        reviews,
    )


def _among(read: _Read, people: pl.Series) -> _Read:
    """The extract cut down to the given children's rows (and their enquiries' conferences
    and their plans' reviews), in the files' order."""
    theirs = pl.col("person").is_in(people.implode())
    enquiries = read.enquiries.filter(theirs)
    plans = read.plans.filter(theirs)
    return _Read(
        read.people.filter(theirs),
        read.conferences.filter(pl.col("s47").is_in(enquiries["s47"].implode())),
        enquiries,
        read.reviews.filter(pl.col("plan").is_in(plans["plan"].implode())),
        plans,
    )


def _census(read: _Read) -> Census:
    """The census the rules read: every child of `read`, with all that `read` holds."""
    conferences: dict[str, tuple[date | None, date | None]] = {}  # s47 id -> (date, target)
    for s47_id, held, target in read.conferences.iter_rows():
        if s47_id:
            conferences[s47_id] = (_date(held), _date(target))
    enquiries: dict[str, list[Section47]] = defaultdict(list)
    for s47_id, person, start, nfa in read.enquiries.iter_rows():
        held, target = conferences.get(s47_id, (None, None))
        enquiries[person].append(Section47(_date(start), target, held, _FLAGS.get(nfa.lower())))
    reviews: dict[str, list[date | None]] = defaultdict(list)
    for plan_id, held in read.reviews.iter_rows():
        if held:
            reviews[plan_id].append(_date(held))
    plans: dict[str, list[Plan]] = defaultdict(list)
    for plan_id, person, start, end, initial, latest in read.plans.iter_rows():
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
        for position, person, birth, death in read.people.iter_rows()
    ]
    return Census(None, children)


def _suspects(read: _Read) -> pl.Series:
    """The children who may fail one of `SSD_RULES` (all who do), found on the columns."""
    tables = _tables(read)
    found = []
    for rule in rules():
        if rule.code in SSD_RULES:
            assert rule.suspects is not None, f"{rule.code} has no column form"
            found.append(rule.suspects(tables))
    return pl.concat(found).unique()


def check_extract(sources: Mapping[str, TableSource]) -> list[RuleProblem]:
    """The findings of `SSD_RULES` over an extract of CSV files (none for rows given as dicts:
    a CIN census is checked with every rule as it is read)."""
    if "ssd_person" not in sources or any(s.path is None for s in sources.values()):
        return []
    read = _read(sources)
    if read is None:
        return []
    suspects = _suspects(read)
    if suspects.is_empty():
        return []
    return check_census(_census(_among(read, suspects)), only=SSD_RULES)
