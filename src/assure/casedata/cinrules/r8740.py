"""8740: an enquiry still waiting for its conference started in the census year.

A section 47 enquiry that needs a conference (ICPCnotRequired false) and has had none by the
reference date must have started within the census year: an older one should have been
completed or closed before.
"""

from collections.abc import Iterator

from assure.casedata.cinrules import Finding, Rule
from assure.casedata.cinrules.census import Census


def check(census: Census) -> Iterator[Finding]:
    if census.reference is None:
        return
    for child, episode in census.enquiry_episodes:
        for s47 in episode.section47s:
            if s47.icpc is not None or s47.icpc_not_required is not False:
                continue
            if s47.start is not None and not census.in_year(s47.start):
                yield (
                    child,
                    (
                        f"enquiry starting {s47.start}, census year {census.year_start} to "
                        f"{census.reference}"
                    ),
                )


RULE = Rule(
    "8740",
    "A section 47 enquiry without an initial conference by the end of the census year must "
    "have started in the census year",
    check,
)
