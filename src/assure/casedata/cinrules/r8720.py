"""8720: every plan has a start date, no later than the reference date.

A child protection plan without a start date, or starting after the census's reference date,
cannot be counted in the census.
"""

from collections.abc import Iterator

from assure.casedata.cinrules import Finding, Rule
from assure.casedata.cinrules.census import Census


def check(census: Census) -> Iterator[Finding]:
    ref = census.reference
    for child, plan in census.child_plans:
        if plan.start is None:
            yield child, "no start date"
        elif ref is not None and plan.start > ref:
            yield child, f"plan starting {plan.start}, reference date {ref}"


RULE = Rule(
    "8720",
    "The child protection plan's start date is missing or after the census reference date",
    check,
)
