"""8615: a section 47 enquiry that led to a conference has a start on or before it.

When an enquiry records an initial conference date, the enquiry's start date must be given
and be on or before the conference.
"""

from collections.abc import Iterator

from assure.casedata.cinrules import Finding, Rule
from assure.casedata.cinrules.census import Census


def check(census: Census) -> Iterator[Finding]:
    for child, episode in census.enquiry_episodes:
        for s47 in episode.section47s:
            if s47.icpc is None:
                continue
            if s47.start is None:
                yield child, f"conference {s47.icpc}, no enquiry start"
            elif s47.start > s47.icpc:
                yield child, f"enquiry starting {s47.start}, conference {s47.icpc}"


RULE = Rule(
    "8615",
    "The section 47 enquiry's start date must be present and on or before the date of the "
    "initial child protection conference",
    check,
)
