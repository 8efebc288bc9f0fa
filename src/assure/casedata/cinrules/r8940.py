"""8940: a child's plans cannot overlap.

A plan that starts on or after another plan's start must start after that other plan ended:
not on or before its end date, nor, when the other plan is still open, at any time up to
the end of the census year.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import polars as pl

from assure.casedata.cinrules import Finding, Rule
from assure.casedata.cinrules.census import Census

if TYPE_CHECKING:
    from assure.casedata.cinrules.ssd import Tables


def check(census: Census) -> Iterator[Finding]:
    ref = census.reference
    for child in census.plan_children:
        plans = [p for p in child.plans() if p.start is not None]
        for plan in plans:
            assert plan.start is not None
            for other in plans:
                assert other.start is not None
                if other is plan or plan.start < other.start:
                    continue
                if other.end is not None:
                    overlaps = plan.start <= other.end
                else:
                    overlaps = ref is None or plan.start <= ref
                if overlaps:
                    yield (
                        child,
                        (f"plan starting {plan.start} overlaps the plan starting {other.start}"),
                    )
                    break


def suspects(tables: Tables) -> pl.Series:
    """The children with a plan starting on or after another's start, before the other ended
    (or while it is open, at any time: the census year is not known here)."""
    dated = tables.plans.filter(pl.col("start").is_not_null())
    several = dated.filter(pl.len().over("person") > 1)
    pairs = several.join(several, on="person", suffix="_other").filter(
        (pl.col("row") != pl.col("row_other"))
        & (pl.col("start_other") <= pl.col("start"))
        & (pl.col("end_other").is_null() | (pl.col("start") <= pl.col("end_other")))
    )
    return pairs["person"]


RULE = Rule("8940", "The child's child protection plans overlap", check, suspects)
