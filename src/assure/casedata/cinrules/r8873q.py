"""8873Q: an episode whose only assessment found nothing should close as such.

When the episode had just one assessment, it was completed and recorded factor 21 (no
factors identified), the case was closed after assessment: the reason for closure should be
RC8 (no further action) or RC9 (referred to early help).
"""

from collections.abc import Iterator

from assure.casedata.cinrules import Finding, Rule
from assure.casedata.cinrules.census import Census, episodes

NO_FACTORS = "21"
CLOSED_AFTER_ASSESSMENT = frozenset({"RC8", "RC9"})


def check(census: Census) -> Iterator[Finding]:
    for child, episode in episodes(census):
        if len(episode.assessments) != 1:
            continue
        assessment = episode.assessments[0]
        if assessment.authorised is None or not any(
            factor.startswith(NO_FACTORS) for factor in assessment.factors
        ):
            continue
        if episode.reason_for_closure not in CLOSED_AFTER_ASSESSMENT:
            reason = episode.reason_for_closure or "(none)"
            yield child, f"assessment authorised {assessment.authorised}, reason {reason}"


RULE = Rule(
    "8873Q",
    "Please check: the episode's only assessment found no factors (21), so the reason for "
    "closure should be RC8 or RC9",
    check,
)
