"""4009Q: a CIN plan cannot end after the child died.

When the child's date of death is recorded, a CIN plan's end date should be on or before it.
"""

from collections.abc import Iterator

from assure.casedata.cinrules import Finding, Rule
from assure.casedata.cinrules.census import Census


def check(census: Census) -> Iterator[Finding]:
    for child in census.dead_children:
        assert child.death is not None
        for cin in child.cin_plans():
            if cin.end is not None and cin.end > child.death:
                yield child, f"CIN plan ending {cin.end}, death {child.death}"


RULE = Rule("4009Q", "Please check: a CIN plan ends after the child's date of death", check)
