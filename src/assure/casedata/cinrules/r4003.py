"""4003: no child protection review is held while a CIN plan is open.

While a child is on a child protection plan they are not on a CIN plan. A review of the
protection plan dated on or after a CIN plan's start and before its end (or with the CIN plan
still open) shows the two at once, unless the review is the day the protection plan ended
and the CIN plan took over.
"""

from collections.abc import Iterator

from assure.casedata.cinrules import Finding, Rule
from assure.casedata.cinrules.census import Census


def check(census: Census) -> Iterator[Finding]:
    for child in census.plan_children:
        cin_plans = [c for c in child.cin_plans() if c.start is not None]
        if not cin_plans:
            continue
        for plan in child.plans():
            for review in plan.reviews:
                if review is None or review == plan.end:
                    continue
                for cin in cin_plans:
                    assert cin.start is not None
                    if cin.start <= review and (cin.end is None or review < cin.end):
                        yield child, f"review {review}, CIN plan starting {cin.start}"
                        break


RULE = Rule(
    "4003",
    "A child protection review is shown as held while a CIN plan is open",
    check,
)
