"""2885: a plan starts on the day of an initial conference in its episode.

A plan starting in the census year must start on the date of an initial conference recorded
in the same episode: one held after a section 47 enquiry (that did not record that no
conference was needed) or one recorded with the episode.
"""

from collections.abc import Iterator

from assure.casedata.cinrules import Finding, Rule
from assure.casedata.cinrules.census import Census


def check(census: Census) -> Iterator[Finding]:
    for child, episode in census.plan_episodes:
        conferences = {s.icpc for s in episode.section47s if s.icpc_not_required is not True}
        conferences.add(episode.icpc)
        for plan in episode.plans:
            if plan.start and census.in_year(plan.start) and plan.start not in conferences:
                yield child, f"plan starting {plan.start}"


RULE = Rule(
    "2885",
    "A child protection plan starts on a different day from the initial child protection "
    "conference",
    check,
)
