"""8935: a child has at most one open plan.

A child is subject to one child protection plan at a time: two or more plans without an end
date means an earlier plan was never closed.
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
    for child in census.plan_children:
        open_plans = [p for p in child.plans() if p.end is None]
        if len(open_plans) > 1:
            starts = ", ".join(str(p.start or "(no date)") for p in open_plans)
            yield child, f"open plans starting {starts}"


def suspects(tables: Tables) -> pl.Series:
    """The children with two or more plans without an end date."""
    open_plans = tables.plans.filter(pl.col("end").is_null())
    return open_plans.group_by("person").len().filter(pl.col("len") > 1)["person"]


RULE = Rule(
    "8935", "The child has more than one open child protection plan (no end date)", check, suspects
)
