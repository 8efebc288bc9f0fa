"""8915: no plan can start after the child died.

When the child's date of death is recorded, every plan must have started on or before it.
"""

from collections.abc import Iterator

from assure.casedata.cinrules import Finding, Rule
from assure.casedata.cinrules.census import Census


def check(census: Census) -> Iterator[Finding]:
    for child in census.dead_children:
        assert child.death is not None
        for plan in child.plans():
            if plan.start is not None and plan.start > child.death:
                yield child, f"plan starting {plan.start}, death {child.death}"


RULE = Rule("8915", "A child protection plan starts after the child's date of death", check)
