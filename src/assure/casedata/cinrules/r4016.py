"""4016: a CIN plan does not start while a child protection plan is in force.

A CIN plan starting on or after a child protection plan's start must start after that plan
ended (a CIN plan may begin the day it ends): not before its end, nor, with the protection
plan still open, at any time up to the end of the census year.
"""

from collections.abc import Iterator

from assure.casedata.cinrules import Finding, Rule
from assure.casedata.cinrules.census import Census


def check(census: Census) -> Iterator[Finding]:
    ref = census.reference
    for child in census.plan_children:
        plans = [p for p in child.plans() if p.start is not None]
        for cin in child.cin_plans():
            if cin.start is None:
                continue
            for plan in plans:
                assert plan.start is not None
                if cin.start < plan.start:
                    continue
                if plan.end is not None:
                    during = cin.start < plan.end
                else:
                    during = ref is None or cin.start <= ref
                if during:
                    yield (
                        child,
                        (
                            f"CIN plan starting {cin.start}, child protection plan starting "
                            f"{plan.start}"
                        ),
                    )
                    break


RULE = Rule(
    "4016",
    "A CIN plan starts while the child is on a child protection plan",
    check,
)
