"""8920: no plan can end after the child died.

A plan ends at the latest on the day the child died; an end date after it is wrong.
"""

from collections.abc import Iterator

from assure.casedata.cinrules import Finding, Rule
from assure.casedata.cinrules.census import Census


def check(census: Census) -> Iterator[Finding]:
    for child in census.dead_children:
        assert child.death is not None
        for plan in child.plans():
            if plan.end is not None and plan.end > child.death:
                yield child, f"plan ending {plan.end}, death {child.death}"


RULE = Rule("8920", "A child protection plan ends after the child's date of death", check)
