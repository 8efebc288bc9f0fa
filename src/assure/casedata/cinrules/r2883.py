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
    in_year = census.in_year
    plans = sum(
        1
        for _, episode in census.plan_episodes
        for p in episode.plans
        if p.start and in_year(p.start)
    )
    conferences = sum(
        1
        for _, episode in census.enquiry_episodes
        for s in episode.section47s
        if s.icpc and in_year(s.icpc)
    )
    conferences += sum(
        1 for _, episode in census.child_episodes if episode.icpc and in_year(episode.icpc)
    )
    if plans > conferences:
        yield None, f"{plans} plans starting in the year, {conferences} initial conferences"


RULE = Rule(
    "2883",
    "More child protection plans start in the census year than initial conferences take place",
    check,
)
