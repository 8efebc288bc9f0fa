"""8875: an initial child protection conference is not held at a weekend.

The date of the conference recorded with a section 47 enquiry must be a Monday to Friday;
a Saturday or Sunday date is a typing error.
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
            if s47.icpc is not None and s47.icpc.weekday() >= 5:
                yield child, f"conference {s47.icpc}, a {s47.icpc:%A}"


def suspects(tables: Tables) -> pl.Series:
    """The children with an enquiry whose conference was on a Saturday or Sunday."""
    return tables.enquiries.filter(pl.col("icpc").dt.weekday() >= 6)["person"]


RULE = Rule(
    "8875", "The initial child protection conference date cannot be a weekend", check, suspects
)
