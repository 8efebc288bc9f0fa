"""1105: a plan cannot start before the referral.

A child protection plan's start date must be on or after the referral date of its episode.
"""

from collections.abc import Iterator

from assure.casedata.cinrules import Finding, Rule
from assure.casedata.cinrules.census import Census


def check(census: Census) -> Iterator[Finding]:
    for child, episode in census.plan_episodes:
        if episode.referral is None:
            continue
        for plan in episode.plans:
            if plan.start is not None and plan.start < episode.referral:
                yield child, f"plan starting {plan.start}, referral {episode.referral}"


RULE = Rule(
    "1105",
    "The child protection plan starts before the referral date",
    check,
)
