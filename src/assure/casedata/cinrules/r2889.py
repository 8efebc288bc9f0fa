"""2889: a section 47 enquiry cannot start before its referral.

The enquiry follows the referral that opened the episode, so its start date must be on or
after the episode's referral date.
"""

from collections.abc import Iterator

from assure.casedata.cinrules import Finding, Rule
from assure.casedata.cinrules.census import Census


def check(census: Census) -> Iterator[Finding]:
    for child, episode in census.enquiry_episodes:
        if episode.referral is None:
            continue
        for s47 in episode.section47s:
            if s47.start is not None and s47.start < episode.referral:
                yield child, f"enquiry starting {s47.start}, referral {episode.referral}"


RULE = Rule("2889", "A section 47 enquiry starts before the referral date", check)
