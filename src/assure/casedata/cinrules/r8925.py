"""8925: a plan cannot end before it starts.

When a plan has both dates, the end date must be on or after the start date.
"""

from collections.abc import Iterator

from assure.casedata.cinrules import Finding, Rule
from assure.casedata.cinrules.census import Census


def check(census: Census) -> Iterator[Finding]:
    for child, plan in census.child_plans:
        if plan.start is not None and plan.end is not None and plan.end < plan.start:
            yield child, f"plan starting {plan.start}, ending {plan.end}"


RULE = Rule("8925", "A child protection plan's end date is earlier than its start date", check)
