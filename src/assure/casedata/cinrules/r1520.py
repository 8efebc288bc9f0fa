"""1520: no two children share a unique pupil number.

A UPN identifies one pupil in England, so two records with the same UPN are the same child
recorded twice or a mistyped number. Every child sharing it is reported.
"""

from collections.abc import Iterator

from assure.casedata.cinrules import Finding, Rule
from assure.casedata.cinrules.census import Census


def check(census: Census) -> Iterator[Finding]:
    by_upn: dict[str, int] = {}
    for child in census.children:
        if child.upn:
            by_upn[child.upn] = by_upn.get(child.upn, 0) + 1
    for child in census.children:
        count = by_upn.get(child.upn, 0)
        if count > 1:
            yield child, f"UPN {child.upn} is on {count} records"


RULE = Rule("1520", "More than one record has the same UPN", check)
