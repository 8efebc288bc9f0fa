"""8841: a plan's review must come after the plan started.

A review conference looks back at a plan already in force, so each review date must be
later than the plan's start date; a review on or before that day belongs to another plan or
is wrongly dated.
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
    for child, plan in census.child_plans:
        if plan.start is None:
            continue
        for review in plan.reviews:
            if review is not None and review <= plan.start:
                yield child, f"review {review}, plan starting {plan.start}"


def suspects(tables: Tables) -> pl.Series:
    """The children with a plan reviewed on or before the day it started."""
    reviewed = tables.plans.join(tables.reviews, on="plan")
    return reviewed.filter(pl.col("held") <= pl.col("start"))["person"]


RULE = Rule(
    "8841",
    "A child protection review cannot be on or before the day the plan started",
    check,
    suspects,
)
