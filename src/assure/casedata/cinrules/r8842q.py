"""8842Q: a review recorded without its date.

Each review of a child protection plan is recorded by its date alone, so a review element
with no date says nothing: check whether a date was lost or the review was not held.
"""

from collections.abc import Iterator

from assure.casedata.cinrules import Finding, Rule
from assure.casedata.cinrules.census import Census


def check(census: Census) -> Iterator[Finding]:
    for child, plan in census.child_plans:
        missing = sum(1 for review in plan.reviews if review is None)
        if missing:
            yield child, f"{missing} of the plan starting {plan.start or '(no date)'}"


RULE = Rule(
    "8842Q",
    "Please check: a child protection review has no date (or a date that is not valid)",
    check,
)
