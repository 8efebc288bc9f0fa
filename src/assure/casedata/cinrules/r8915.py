"""8915: no plan can start after the child died.

When the child's date of death is recorded, every plan must have started on or before it.
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
            if plan.start is not None and plan.start > child.death:
                yield child, f"plan starting {plan.start}, death {child.death}"


def suspects(tables: Tables) -> pl.Series:
    """The children with a date of death and a plan starting after it."""
    dead = tables.people.filter(pl.col("death").is_not_null())
    plans = tables.plans.join(dead, on="person")
    return plans.filter(pl.col("start") > pl.col("death"))["person"]


RULE = Rule(
    "8915", "A child protection plan starts after the child's date of death", check, suspects
)
