"""8910: every plan has a latest category of abuse from the code set.

The category the plan is under now (or was under when it ended) must be given and be one of
NEG, PHY, SAB, EMO or MUL.
"""

from collections.abc import Iterator

from assure.casedata.cinrules import Finding, Rule
from assure.casedata.cinrules.census import CATEGORIES, Census


def check(census: Census) -> Iterator[Finding]:
    for child, plan in census.child_plans:
        if plan.latest_category not in CATEGORIES:
            yield child, f"{plan.latest_category or '(blank)'}, plan starting {plan.start}"


RULE = Rule(
    "8910",
    "The latest category of abuse is missing or not a code in the census code set "
    "(NEG, PHY, SAB, EMO, MUL)",
    check,
)
