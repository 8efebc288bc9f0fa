"""8730: every plan says how many plans the child had before.

NumberOfPreviousCPP, the count of earlier child protection plans (0 for none), must be given
as a whole number.
"""

from collections.abc import Iterator

from assure.casedata.cinrules import Finding, Rule
from assure.casedata.cinrules.census import Census


def check(census: Census) -> Iterator[Finding]:
    for child, plan in census.child_plans:
        if not plan.previous_plans.isdigit():
            shown = plan.previous_plans or "(blank)"
            yield child, f"{shown}, plan starting {plan.start}"


RULE = Rule(
    "8730",
    "The number of previous child protection plans is missing (or not a whole number)",
    check,
)
