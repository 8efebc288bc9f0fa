"""Which children a built-in audit tool may sample in a month, and drawing the sample
(docs/domain.md section 7).

Eligibility is read from the snapshot's stored columns (`casedata.columnar`), all children at
once. Each eligible child belongs to the team allocated on the last day of the month that the
child was eligible (`indicators.obligations.allocate`; `Unallocated` when none). The draw takes,
per team, up to the number asked for at random without replacement from the team's children in
id order, with a generator seeded by tool, month, seed and team: the same snapshot, tool, month,
number, seed and exclusions always give the same sample, and one team's draw does not depend on
another's.

A plan or flag is open from its start date up to the day before its end date, and ends when the
child dies (as the indicators count them).
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import polars as pl
from django.db.models import Model

from assure.casedata import columnar
from assure.casedata.models import (
    CaseFlag,
    CPPlan,
    ImportSnapshot,
    InitialConference,
    LegalPlanning,
    Person,
    PreProceedings,
    ReviewConference,
)
from assure.core.calendar import end_of_month
from assure.indicators.obligations import allocate

__all__ = [
    "TOOLS",
    "UNALLOCATED",
    "MissingData",
    "Sample",
    "SampledChild",
    "UnknownTool",
    "draw_sample",
    "eligible_people",
]

UNALLOCATED = "Unallocated"
CSAFE = "CSAFE"


class UnknownTool(ValueError):
    """The tool is not one of the built-in tools whose eligibility is known."""


class MissingData(ValueError):
    """The snapshot's extract lacks a table the tool's eligibility is read from."""


@dataclass(frozen=True)
class SampledChild:
    person_id: str  # the case system's id
    team: str


@dataclass(frozen=True)
class Sample:
    """A drawn sample. `eligible_by_team` counts every eligible child, excluded ones too."""

    tool: str
    month: str  # YYYY-MM
    seed: int
    eligible_by_team: dict[str, int]
    sample: list[SampledChild]


@dataclass(frozen=True)
class _Month:
    first: date
    last: date


# Reads (model, columns) of the snapshot as a frame.
_Reader = Callable[..., pl.DataFrame]
# (read, month) -> one row per eligible event: `person_pk` and `last`, the last day of the month
# the event makes the child eligible.
_Rule = Callable[[_Reader, _Month], pl.DataFrame]


def _open_in(read: _Reader, month: _Month, rows: pl.DataFrame) -> pl.DataFrame:
    """Rows (`person_pk`, `start_date`, `end_date`) open on a day of the month: from their
    start to the day before their end or the child's death."""
    deaths = read(Person, "id", "death_date").select(person_pk="id", died="death_date")
    ended = pl.min_horizontal("end_date", "died")
    return (
        rows.join(deaths, on="person_pk", how="left")
        .with_columns(ended=ended)
        .filter(
            pl.col("start_date") <= month.last,
            pl.col("ended").is_null() | (pl.col("ended") > month.first),
        )
        .select(
            "person_pk",
            last=pl.min_horizontal(pl.lit(month.last), pl.col("ended") - timedelta(days=1)),
        )
    )


def _dated_in(month: _Month, rows: pl.DataFrame) -> pl.DataFrame:
    """Rows (`person_pk`, `date`) dated in the month."""
    return rows.filter(pl.col("date").is_between(month.first, month.last)).select(
        "person_pk", last="date"
    )


def _plan_open(read: _Reader, month: _Month) -> pl.DataFrame:
    plans = read(CPPlan, "person_id", "start_date", "end_date").rename({"person_id": "person_pk"})
    return _open_in(read, month, plans)


def _csafe_open(read: _Reader, month: _Month) -> pl.DataFrame:
    flags = (
        read(CaseFlag, "person_id", "code", "start_date", "end_date")
        .filter(pl.col("code").str.strip_chars().str.to_uppercase() == CSAFE)
        .select(person_pk="person_id", start_date="start_date", end_date="end_date")
    )
    return _open_in(read, month, flags)


def _conference_held(read: _Reader, month: _Month) -> pl.DataFrame:
    held = pl.concat(
        [
            read(model, "person_id", "date").select(person_pk="person_id", date="date")
            for model in (InitialConference, ReviewConference)
        ]
    )
    return _dated_in(month, held)


def _legal_planning(read: _Reader, month: _Month) -> pl.DataFrame:
    events = pl.concat(
        [
            read(LegalPlanning, "person_id", "requested_date").select(
                person_pk="person_id", date="requested_date"
            ),
            read(PreProceedings, "person_id", "decision_date").select(
                person_pk="person_id", date="decision_date"
            ),
        ]
    )
    return _dated_in(month, events)


@dataclass(frozen=True)
class _Eligibility:
    tables: tuple[str, ...]  # contract tables the rule reads (all must be in the extract)
    rule: _Rule


_PLAN_OPEN = _Eligibility(("ssd_cp_plans",), _plan_open)
TOOLS: dict[str, _Eligibility] = {
    "cp-plan-quality": _PLAN_OPEN,
    "core-groups": _PLAN_OPEN,
    "conference-minutes": _Eligibility(
        ("ssd_initial_cp_conference", "ssd_cp_reviews"), _conference_held
    ),
    "csafe": _Eligibility(("assure_case_flags",), _csafe_open),
    "legal-planning": _Eligibility(
        ("assure_legal_planning", "ssd_pre_proceedings"), _legal_planning
    ),
    "management-oversight": _PLAN_OPEN,
}


def _eligibility(tool: str) -> _Eligibility:
    try:
        return TOOLS[tool]
    except KeyError:
        raise UnknownTool(
            f"There is no built-in audit tool {tool!r}: choose one of {', '.join(TOOLS)}."
        ) from None


def eligible_people(snapshot: ImportSnapshot, tool: str, month: date) -> dict[str, str]:
    """Person id -> team of every child eligible for the tool in the month of `month`.

    `snapshot` must be its partnership's current one (only its rows are kept).
    """
    eligibility = _eligibility(tool)
    if snapshot.status != ImportSnapshot.Status.CURRENT:
        raise ValueError("Samples are drawn from the current snapshot only.")
    missing = [name for name in eligibility.tables if not snapshot.has_table(name)]
    if missing:
        raise MissingData(
            f"The current extract has no {' or '.join(missing)} file, so the children eligible "
            f"for {tool} are not known: import an extract that includes it."
        )
    first = month.replace(day=1)
    window = _Month(first, end_of_month(first.year, first.month))

    def read(model: type[Model], *columns: str) -> pl.DataFrame:
        return columnar.read(columnar.stored(snapshot, model), columns)

    last_days = eligibility.rule(read, window).group_by("person_pk").agg(pl.col("last").max())
    people = read(Person, "id", "ssd_id").select(person_pk="id", person_id="ssd_id")
    eligible = last_days.join(people, on="person_pk").select("person_id", "last")
    team = pl.col("team")
    allocated = allocate(snapshot.partnership_id, eligible, on="last").select(
        "person_id",
        team=pl.when(team.is_null() | (team.str.strip_chars() == ""))
        .then(pl.lit(UNALLOCATED))
        .otherwise(team),
    )
    return dict(allocated.iter_rows())


def draw_sample(
    snapshot: ImportSnapshot,
    tool: str,
    month: date,
    per_team: int,
    seed: int,
    exclude: frozenset[str] = frozenset(),
) -> Sample:
    """Up to `per_team` eligible children of each team, drawn at random without replacement,
    skipping the person ids in `exclude`; ordered by team, then person id."""
    if per_team < 0:
        raise ValueError(f"The number per team must be 0 or more, not {per_team}.")
    first = month.replace(day=1)
    teams: dict[str, list[str]] = defaultdict(list)
    for person_id, team in eligible_people(snapshot, tool, first).items():
        teams[team].append(person_id)
    label = f"{first:%Y-%m}"
    chosen: list[SampledChild] = []
    for team in sorted(teams):
        pool = sorted(p for p in teams[team] if p not in exclude)
        # Not for security: the seed only makes the draw repeatable.
        generator = random.Random(f"{tool}|{label}|{seed}|{team}")  # noqa: S311
        drawn = generator.sample(pool, min(per_team, len(pool)))
        chosen.extend(SampledChild(person_id, team) for person_id in sorted(drawn))
    return Sample(
        tool=tool,
        month=label,
        seed=seed,
        eligible_by_team={team: len(teams[team]) for team in sorted(teams)},
        sample=chosen,
    )
