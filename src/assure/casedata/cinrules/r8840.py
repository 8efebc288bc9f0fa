"""8840: a child protection plan cannot start and end on the same day.

A plan is made at a conference and ends at a later review or conference; one that ends the
day it starts was never in force and is usually a recording slip (the end date typed into
the start, or the wrong plan ended).
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
        if plan.start is not None and plan.start == plan.end:
            yield child, f"plan starting and ending {plan.start}"


def suspects(tables: Tables) -> pl.Series:
    """The children with a plan ending the day it started."""
    return tables.plans.filter(pl.col("start") == pl.col("end"))["person"]


RULE = Rule("8840", "A child protection plan cannot start and end on the same day", check, suspects)
