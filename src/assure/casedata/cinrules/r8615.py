"""8615: a section 47 enquiry that led to a conference has a start on or before it.

When an enquiry records an initial conference date, the enquiry's start date must be given
and be on or before the conference.
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
            if s47.icpc is None:
                continue
            if s47.start is None:
                yield child, f"conference {s47.icpc}, no enquiry start"
            elif s47.start > s47.icpc:
                yield child, f"enquiry starting {s47.start}, conference {s47.icpc}"


def suspects(tables: Tables) -> pl.Series:
    """The children with an enquiry that led to a conference but has no start, or a later one."""
    start, icpc = pl.col("start"), pl.col("icpc")
    enquiries = tables.enquiries
    return enquiries.filter(icpc.is_not_null() & (start.is_null() | (start > icpc)))["person"]


RULE = Rule(
    "8615",
    "The section 47 enquiry's start date must be present and on or before the date of the "
    "initial child protection conference",
    check,
    suspects,
)
