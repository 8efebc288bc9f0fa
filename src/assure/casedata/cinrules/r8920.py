"""8920: no plan can end after the child died.

A plan ends at the latest on the day the child died; an end date after it is wrong.
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
    for child in census.dead_children:
        assert child.death is not None
        for plan in child.plans():
            if plan.end is not None and plan.end > child.death:
                yield child, f"plan ending {plan.end}, death {child.death}"


def suspects(tables: Tables) -> pl.Series:
    """The children with a date of death and a plan ending after it."""
    dead = tables.people.filter(pl.col("death").is_not_null())
    plans = tables.plans.join(dead, on="person")
    return plans.filter(pl.col("end") > pl.col("death"))["person"]


RULE = Rule("8920", "A child protection plan ends after the child's date of death", check, suspects)
