"""2990: an episode closed after assessment holds no child protection or CIN plan work.

Reasons for closure RC8 (closed after assessment, no further action) and RC9 (closed after
assessment, referred to early help) mean the case ended with the assessment. Such an episode
cannot also hold an initial conference, a section 47 enquiry, a child protection plan or a
CIN plan.
"""

from collections.abc import Iterator

from assure.casedata.cinrules import Finding, Rule
from assure.casedata.cinrules.census import Census, episodes

CLOSED_AFTER_ASSESSMENT = frozenset({"RC8", "RC9"})


def check(census: Census) -> Iterator[Finding]:
    for child, episode in episodes(census):
        if episode.reason_for_closure not in CLOSED_AFTER_ASSESSMENT:
            continue
        found = [
            what
            for what, present in (
                ("an initial conference", episode.icpc is not None),
                ("a section 47 enquiry", bool(episode.section47s)),
                ("a child protection plan", bool(episode.plans)),
                ("a CIN plan", bool(episode.cin_plans)),
            )
            if present
        ]
        if found:
            yield child, f"closed {episode.reason_for_closure} with {' and '.join(found)}"


RULE = Rule(
    "2990",
    "Activity is recorded in an episode closed after assessment with no further action or "
    "with a referral to early help (RC8 or RC9)",
    check,
)
