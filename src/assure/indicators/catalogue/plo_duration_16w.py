"""Pre-proceedings concluded within 16 weeks of the decision to enter them (PLO guidance).

Each episode is due to conclude (step down or issue of proceedings) 16 weeks after the decision
date; an episode still open past that at `to` is overdue. The child dying before it falls due
makes it void.
"""

from collections.abc import Iterator

from assure.casedata.models import PreProceedings
from assure.indicators.engine import DEFAULT_TARGET, Indicator, Obligation, Window, register
from assure.indicators.obligations import (
    day,
    deaths,
    due_map,
    earliest_start,
    fetch,
    judge,
    obligation,
    person_ids,
    rows_of,
    void_from,
)

KEY = "plo_duration_weeks"


def compute(window: Window) -> Iterator[Obligation]:
    to = window.end
    rows = fetch(
        rows_of(PreProceedings, window.partnership_id)
        .filter(decision_date__gte=earliest_start(KEY, window.start), decision_date__lte=to)
        .values_list("ssd_id", "person_id", day("decision_date"), day("stepdown_issue_date")),
        dates=(2, 3),
    )
    dues = due_map(KEY, (row[2] for row in rows))
    died = deaths(window)
    people = person_ids(window)
    for ssd_id, person, decision, concluded in rows:
        due = dues[decision]
        if due < window.start:
            continue
        status = judge(due, concluded, to, void_from(to, died.get(person)))
        yield obligation(people[person], f"pre-proceedings {ssd_id}", due, concluded, status, to)


INDICATOR = register(
    Indicator(
        id="plo_duration_16w",
        title="Pre-proceedings concluded within 16 weeks",
        measures=(
            "Pre-proceedings episodes concluded (step down or issue) within 16 weeks of the "
            "decision to enter pre-proceedings"
        ),
        basis="Public Law Outline guidance: pre-proceedings concluded in about 16 weeks",
        timescale_key=KEY,
        target=DEFAULT_TARGET,
        tables=("ssd_pre_proceedings",),
        compute=compute,
    )
)
