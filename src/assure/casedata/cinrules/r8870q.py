"""8870Q: an initial conference's target date should be a working day.

The target is the last day the conference can be held (15 working days after the strategy
discussion), so it should never fall on a Saturday or Sunday: check how it was worked out.
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
    for child, episode in census.enquiry_episodes:
        for s47 in episode.section47s:
            if s47.target is not None and s47.target.weekday() >= 5:
                yield child, f"target {s47.target}, a {s47.target:%A}"


def suspects(tables: Tables) -> pl.Series:
    """The children with an enquiry whose conference target is a Saturday or Sunday."""
    return tables.enquiries.filter(pl.col("target").dt.weekday() >= 6)["person"]


RULE = Rule(
    "8870Q",
    "Please check: the target date for the initial child protection conference is a weekend",
    check,
    suspects,
)
