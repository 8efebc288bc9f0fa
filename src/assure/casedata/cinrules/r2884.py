"""2884: an initial conference is recorded in one place only.

A conference belongs either with its section 47 enquiry or, when there was no enquiry
module, with the episode; the same date at both levels counts one conference twice.
"""

from collections.abc import Iterator

from assure.casedata.cinrules import Finding, Rule
from assure.casedata.cinrules.census import Census


def check(census: Census) -> Iterator[Finding]:
    for child in census.enquiry_children:
        at_enquiry = {s.icpc for e in child.episodes for s in e.section47s if s.icpc}
        for episode in child.episodes:
            if episode.icpc is not None and episode.icpc in at_enquiry:
                yield child, f"conference {episode.icpc}"


RULE = Rule(
    "2884",
    "An initial child protection conference is recorded both with the section 47 enquiry and "
    "with the CIN episode: it should be recorded in one only",
    check,
)
