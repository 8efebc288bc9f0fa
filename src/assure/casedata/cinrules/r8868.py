"""8868: a closed episode cannot have a section 47 enquiry left unresolved.

An enquiry ends in one of two ways: an initial child protection conference is held (its date
recorded) or the enquiry decides no conference is needed (ICPCnotRequired true). When the
episode is closed each enquiry must show exactly one of these; neither, or both, is wrong.
"""

from collections.abc import Iterator

from assure.casedata.cinrules import Finding, Rule
from assure.casedata.cinrules.census import Census


def check(census: Census) -> Iterator[Finding]:
    for child, episode in census.enquiry_episodes:
        if episode.closure is None:
            continue
        for s47 in episode.section47s:
            not_required = s47.icpc_not_required is True
            if (s47.icpc is not None) != not_required:
                continue  # exactly one of the two: completed
            how = "both a conference date and ICPCnotRequired" if not_required else "neither"
            yield (
                child,
                (
                    f"episode closed {episode.closure}, enquiry starting "
                    f"{s47.start or '(no date)'} has {how}"
                ),
            )


RULE = Rule(
    "8868",
    "The CIN episode is closed but a section 47 enquiry in it is not shown as completed, "
    "either by a conference date or by ICPCnotRequired",
    check,
)
