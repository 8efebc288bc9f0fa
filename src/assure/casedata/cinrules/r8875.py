"""8875: an initial child protection conference is not held at a weekend.

The date of the conference recorded with a section 47 enquiry must be a Monday to Friday;
a Saturday or Sunday date is a typing error.
"""

from collections.abc import Iterator

from assure.casedata.cinrules import Finding, Rule
from assure.casedata.cinrules.census import Census


def check(census: Census) -> Iterator[Finding]:
    for child, episode in census.enquiry_episodes:
        for s47 in episode.section47s:
            if s47.icpc is not None and s47.icpc.weekday() >= 5:
                yield child, f"conference {s47.icpc}, a {s47.icpc:%A}"


RULE = Rule("8875", "The initial child protection conference date cannot be a weekend", check)
