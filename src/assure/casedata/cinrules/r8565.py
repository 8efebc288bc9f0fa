"""8565: nothing happens in an episode after it was closed.

Once an episode has its closure date, every other date in it must be on or before that day:
assessments' starts and authorisations, section 47 enquiries' starts and conferences, the
episode's conference, child protection plans' end dates and CIN plans' dates.
"""

from collections.abc import Iterator
from datetime import date

from assure.casedata.cinrules import Finding, Rule
from assure.casedata.cinrules.census import Census, Episode, episodes


def _activity(episode: Episode) -> Iterator[tuple[str, date | None]]:
    yield "initial conference", episode.icpc
    for a in episode.assessments:
        yield "assessment start", a.start
        yield "assessment authorisation", a.authorised
    for s in episode.section47s:
        yield "section 47 start", s.start
        yield "section 47 conference", s.icpc
    for p in episode.plans:
        yield "child protection plan end", p.end
    for c in episode.cin_plans:
        yield "CIN plan start", c.start
        yield "CIN plan end", c.end


def check(census: Census) -> Iterator[Finding]:
    for child, episode in episodes(census):
        closed = episode.closure
        if closed is None:
            continue
        late = [f"{what} {when}" for what, when in _activity(episode) if when and when > closed]
        if late:
            yield child, f"closed {closed}; {', '.join(late)}"


RULE = Rule("8565", "Activity is shown after the CIN episode was closed", check)
