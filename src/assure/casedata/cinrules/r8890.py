"""8890: one section 47 enquiry at a time within an episode.

An enquiry runs from its start until its initial conference (or, when no conference is
needed, it has ended). A new enquiry cannot start on or after another's start while that
other is still running: before or on its conference day, or, with no conference and no
decision that none is needed, by the end of the census year. The same enquiry sent twice
(same start, same conference) is left to other checks.
"""

from collections.abc import Iterator

from assure.casedata.cinrules import Finding, Rule
from assure.casedata.cinrules.census import Census


def check(census: Census) -> Iterator[Finding]:
    ref = census.reference
    for child, episode in census.enquiry_episodes:
        enquiries = [s for s in episode.section47s if s.start is not None]
        for s47 in enquiries:
            assert s47.start is not None
            for other in enquiries:
                assert other.start is not None
                if other is s47 or (other.start, other.icpc) == (s47.start, s47.icpc):
                    continue
                if s47.start < other.start:
                    continue
                if other.icpc is not None:
                    running = s47.start <= other.icpc
                else:
                    running = other.icpc_not_required is not True and (
                        ref is None or s47.start <= ref
                    )
                if running:
                    yield child, f"enquiry starting {s47.start}, another started {other.start}"
                    break


RULE = Rule(
    "8890",
    "A section 47 enquiry is shown as starting while another section 47 enquiry is ongoing",
    check,
)
