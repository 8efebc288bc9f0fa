"""4017: a child protection plan does not start while a CIN plan is open.

A protection plan starting on or after a CIN plan's start must start once the CIN plan has
ended (it may start the day the CIN plan ends): not before that end, nor, with the CIN plan
still open, at any time up to the end of the census year.
"""

from collections.abc import Iterator

from assure.casedata.cinrules import Finding, Rule
from assure.casedata.cinrules.census import Census


def check(census: Census) -> Iterator[Finding]:
    ref = census.reference
    for child in census.plan_children:
        cin_plans = [c for c in child.cin_plans() if c.start is not None]
        for plan in child.plans():
            if plan.start is None:
                continue
            for cin in cin_plans:
                assert cin.start is not None
                if plan.start < cin.start:
                    continue
                if cin.end is not None:
                    during = plan.start < cin.end
                else:
                    during = ref is None or plan.start <= ref
                if during:
                    yield (
                        child,
                        (
                            f"child protection plan starting {plan.start}, CIN plan starting "
                            f"{cin.start}"
                        ),
                    )
                    break


RULE = Rule(
    "4017",
    "A child protection plan starts while the child is on a CIN plan",
    check,
)
