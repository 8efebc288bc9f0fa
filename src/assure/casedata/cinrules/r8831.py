"""8831: a referral closed with no further action has no later activity.

When ReferralNFA says the referral led to no further action, its episode cannot also hold an
assessment (started or authorised), a section 47 enquiry or an initial conference.
"""

from collections.abc import Iterator

from assure.casedata.cinrules import Finding, Rule
from assure.casedata.cinrules.census import Census, episodes


def check(census: Census) -> Iterator[Finding]:
    for child, episode in episodes(census):
        if episode.referral_nfa is not True:
            continue
        found = []
        if any(a.start or a.authorised for a in episode.assessments):
            found.append("an assessment")
        if any(s.start for s in episode.section47s):
            found.append("a section 47 enquiry")
        if episode.icpc is not None:
            found.append("an initial conference")
        if found:
            yield child, f"referral {episode.referral} has {' and '.join(found)}"


RULE = Rule(
    "8831",
    "Activity is recorded in an episode whose referral is marked as no further action",
    check,
)
