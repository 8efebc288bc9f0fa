"""1104: an enquiry's initial conference cannot come before the referral.

The conference recorded with a section 47 enquiry must be on or after the referral date of
the episode the enquiry belongs to.
"""

from collections.abc import Iterator

from assure.casedata.cinrules import Finding, Rule
from assure.casedata.cinrules.census import Census


def check(census: Census) -> Iterator[Finding]:
    for child, episode in census.enquiry_episodes:
        if episode.referral is None:
            continue
        for s47 in episode.section47s:
            if s47.icpc is not None and s47.icpc < episode.referral:
                yield child, f"conference {s47.icpc}, referral {episode.referral}"


RULE = Rule(
    "1104",
    "The date of the initial child protection conference is before the referral date",
    check,
)
