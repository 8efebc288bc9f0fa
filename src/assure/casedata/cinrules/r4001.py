"""4001: a CIN plan and a child protection plan are not both open in one episode.

A child on a child protection plan is no longer on a CIN plan (the plan replaces it), so an
episode cannot hold an open child protection plan and an open CIN plan (started, no end).
"""

from collections.abc import Iterator

from assure.casedata.cinrules import Finding, Rule
from assure.casedata.cinrules.census import Census


def check(census: Census) -> Iterator[Finding]:
    for child, episode in census.plan_episodes:
        cin_open = [c for c in episode.cin_plans if c.start is not None and c.end is None]
        if not cin_open:
            continue
        for plan in episode.plans:
            if plan.end is None:
                yield (
                    child,
                    (
                        f"child protection plan starting {plan.start}, CIN plan starting "
                        f"{cin_open[0].start}"
                    ),
                )


RULE = Rule(
    "4001",
    "A CIN plan cannot be open at the same time as a child protection plan",
    check,
)
