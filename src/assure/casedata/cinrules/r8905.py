"""8905: every plan has an initial category of abuse from the code set.

The category under which the child was first made subject to the plan must be given and be
one of NEG, PHY, SAB, EMO or MUL.
"""

from collections.abc import Iterator

from assure.casedata.cinrules import Finding, Rule
from assure.casedata.cinrules.census import CATEGORIES, Census


def check(census: Census) -> Iterator[Finding]:
    for child, plan in census.child_plans:
        if plan.initial_category not in CATEGORIES:
            yield child, f"{plan.initial_category or '(blank)'}, plan starting {plan.start}"


RULE = Rule(
    "8905",
    "The initial category of abuse is missing or not a code in the census code set "
    "(NEG, PHY, SAB, EMO, MUL)",
    check,
)
