"""8775Q: a child in the census is unlikely to be over 25.

Children's social care ends by the age of 25. A person 25 or older on the reference date with
an episode still open, or closed after their 25th birthday, is worth checking: the date of
birth may be wrong.
"""

from collections.abc import Iterator

from assure.casedata.cinrules import Finding, Rule
from assure.casedata.cinrules.census import Census
from assure.core.calendar import add_months


def check(census: Census) -> Iterator[Finding]:
    ref = census.reference
    if ref is None:
        return
    for child in census.children:
        if child.birth is None or child.birth.year + 25 > ref.year:
            continue  # 25 only in a later year than the reference date's (most children)
        turned_25 = add_months(child.birth, 25 * 12)
        if turned_25 > ref:
            continue
        if any(e.closure is None or e.closure > turned_25 for e in child.episodes):
            yield child, f"born {child.birth}"


RULE = Rule("8775Q", "Please check: the child is over 25 years old", check)
