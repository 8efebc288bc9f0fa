"""8715: an enquiry's initial conference falls in the census year.

The conference date recorded with a section 47 enquiry must be within the census year: the
day after the previous reference date up to this year's reference date.
"""

from collections.abc import Iterator

from assure.casedata.cinrules import Finding, Rule
from assure.casedata.cinrules.census import Census


def check(census: Census) -> Iterator[Finding]:
    if census.reference is None:
        return
    for child, episode in census.enquiry_episodes:
        for s47 in episode.section47s:
            if s47.icpc is not None and not census.in_year(s47.icpc):
                yield (
                    child,
                    (
                        f"conference {s47.icpc}, census year {census.year_start} to "
                        f"{census.reference}"
                    ),
                )


RULE = Rule(
    "8715",
    "The date of the initial child protection conference is outside the census year",
    check,
)
