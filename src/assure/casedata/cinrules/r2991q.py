"""2991Q: a section 47 enquiry usually comes with an assessment.

An episode with a section 47 enquiry is expected to hold an assessment too; none at all is
worth checking (it may be recorded in another episode, or missing).
"""

from collections.abc import Iterator

from assure.casedata.cinrules import Finding, Rule
from assure.casedata.cinrules.census import Census


def check(census: Census) -> Iterator[Finding]:
    for child, episode in census.enquiry_episodes:
        if episode.section47s and not episode.assessments:
            yield child, f"episode referred {episode.referral or '(no date)'}"


RULE = Rule(
    "2991Q",
    "Please check: a section 47 enquiry is recorded and there is no assessment in the episode",
    check,
)
