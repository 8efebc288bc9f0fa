"""8867: a closed episode cannot have an assessment still open.

When a CIN episode is closed every assessment in it must have been completed, that is have
its authorisation date: work cannot be left open on a closed case.
"""

from collections.abc import Iterator

from assure.casedata.cinrules import Finding, Rule
from assure.casedata.cinrules.census import Census, episodes


def check(census: Census) -> Iterator[Finding]:
    for child, episode in episodes(census):
        if episode.closure is None:
            continue
        for assessment in episode.assessments:
            if assessment.authorised is None:
                yield (
                    child,
                    (
                        f"episode closed {episode.closure}, assessment started "
                        f"{assessment.start or '(no date)'} not authorised"
                    ),
                )


RULE = Rule(
    "8867",
    "The CIN episode is closed but an assessment in it is not shown as completed",
    check,
)
