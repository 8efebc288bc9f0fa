"""8896: at most one open assessment in an episode.

An assessment is open until it is authorised. Within one CIN episode two or more assessments
without an authorisation date means an old one was never completed or a duplicate was sent.
"""

from collections.abc import Iterator

from assure.casedata.cinrules import Finding, Rule
from assure.casedata.cinrules.census import Census, episodes


def check(census: Census) -> Iterator[Finding]:
    for child, episode in episodes(census):
        open_ones = [a for a in episode.assessments if a.authorised is None]
        if len(open_ones) > 1:
            yield (
                child,
                f"{len(open_ones)} open assessments in the episode referred {episode.referral}",
            )


RULE = Rule("8896", "Within one CIN episode there are two or more open assessments", check)
