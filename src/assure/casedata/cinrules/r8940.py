"""8940: a child's plans cannot overlap.

A plan that starts on or after another plan's start must start after that other plan ended:
not on or before its end date, nor, when the other plan is still open, at any time up to
the end of the census year.
"""

from collections.abc import Iterator

from assure.casedata.cinrules import Finding, Rule
from assure.casedata.cinrules.census import Census


def check(census: Census) -> Iterator[Finding]:
    ref = census.reference
    for child in census.plan_children:
        plans = [p for p in child.plans() if p.start is not None]
        for plan in plans:
            assert plan.start is not None
            for other in plans:
                assert other.start is not None
                if other is plan or plan.start < other.start:
                    continue
                if other.end is not None:
                    overlaps = plan.start <= other.end
                else:
                    overlaps = ref is None or plan.start <= ref
                if overlaps:
                    yield (
                        child,
                        (f"plan starting {plan.start} overlaps the plan starting {other.start}"),
                    )
                    break


RULE = Rule("8940", "The child's child protection plans overlap", check)
