"""8930: a plan's end date falls in the census year.

The census holds plans open at some time in the year; a plan that ended before the year
began does not belong in it, and one cannot end after the reference date.
"""

from collections.abc import Iterator

from assure.casedata.cinrules import Finding, Rule
from assure.casedata.cinrules.census import Census


def check(census: Census) -> Iterator[Finding]:
    if census.reference is None:
        return
    for child, plan in census.child_plans:
        if plan.end is not None and not census.in_year(plan.end):
            yield (
                child,
                (f"plan ending {plan.end}, census year {census.year_start} to {census.reference}"),
            )


RULE = Rule("8930", "A child protection plan's end date is outside the census year", check)
