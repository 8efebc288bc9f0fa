"""2883: no more plans start in the year than initial conferences are held in it.

Every plan starts at an initial child protection conference, so across the whole file the
plans starting in the census year cannot outnumber the conferences (recorded with an
enquiry or with the episode) held in it. This is a check of the file, not of one child.
"""

from collections.abc import Iterator

from assure.casedata.cinrules import Finding, Rule
from assure.casedata.cinrules.census import Census


def check(census: Census) -> Iterator[Finding]:
    if census.reference is None:
        return
    plans = conferences = 0
    for child in census.children:
        for episode in child.episodes:
            plans += sum(1 for p in episode.plans if p.start and census.in_year(p.start))
            conferences += sum(1 for s in episode.section47s if s.icpc and census.in_year(s.icpc))
            if episode.icpc is not None and census.in_year(episode.icpc):
                conferences += 1
    if plans > conferences:
        yield None, f"{plans} plans starting in the year, {conferences} initial conferences"


RULE = Rule(
    "2883",
    "More child protection plans start in the census year than initial conferences take place",
    check,
)
