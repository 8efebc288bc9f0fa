"""8839: at most one open section 47 enquiry in an episode.

An enquiry stays open until it has a conference date or records that no conference is
needed. Two or more open enquiries in one episode means one was never completed.
"""

from collections.abc import Iterator

from assure.casedata.cinrules import Finding, Rule
from assure.casedata.cinrules.census import Census


def check(census: Census) -> Iterator[Finding]:
    for child, episode in census.enquiry_episodes:
        open_ones = [
            s for s in episode.section47s if s.icpc is None and s.icpc_not_required is not True
        ]
        if len(open_ones) > 1:
            starts = ", ".join(str(s.start or "(no date)") for s in open_ones)
            yield child, f"open enquiries starting {starts}"


RULE = Rule("8839", "Within one CIN episode there are two or more open section 47 enquiries", check)
