"""8832: a referral closed with no further action has no child protection plan.

An episode whose referral led to no further action (ReferralNFA true) cannot hold a plan.
"""

from collections.abc import Iterator

from assure.casedata.cinrules import Finding, Rule
from assure.casedata.cinrules.census import Census


def check(census: Census) -> Iterator[Finding]:
    for child, episode in census.plan_episodes:
        if episode.referral_nfa is True and episode.plans:
            yield child, f"referral {episode.referral}, {len(episode.plans)} plan(s)"


RULE = Rule(
    "8832",
    "A child protection plan is recorded for a referral marked as no further action",
    check,
)
