"""Viability assessments completed within 10 working days of the request (local default).

Each request is due to be completed 10 working days later. An assessment withdrawn without
being completed is void (the extract does not say when it was withdrawn, so it is void whatever
the report date), as is one for a child who died before it fell due.
"""

from collections.abc import Iterator

from assure.casedata.models import ViabilityAssessment
from assure.indicators.engine import (
    DEFAULT_TARGET,
    Indicator,
    Obligation,
    Status,
    Window,
    register,
)
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

KEY = "viability_wd"


def compute(window: Window) -> Iterator[Obligation]:
    to = window.end
    rows = fetch(
        rows_of(ViabilityAssessment, window.partnership_id)
        .filter(requested_date__gte=earliest_start(KEY, window.start), requested_date__lte=to)
        .values_list(
            "ssd_id", "person_id", day("requested_date"), day("completed_date"), "outcome"
        ),
        dates=(2, 3),
    )
    dues = due_map(KEY, (row[2] for row in rows))
    died = deaths(window)
    people = person_ids(window)
    withdrawn = ViabilityAssessment.Outcome.WITHDRAWN
    for ssd_id, person, requested, completed, outcome in rows:
        due = dues[requested]
        if due < window.start:
            continue
        status: Status
        if outcome == withdrawn and completed is None:
            status = "void"
        else:
            status = judge(due, completed, to, void_from(to, died.get(person)))
        ref = f"viability assessment {ssd_id}"
        yield obligation(people[person], ref, due, completed, status, to)


INDICATOR = register(
    Indicator(
        id="viability_10wd",
        title="Viability assessments completed within 10 working days",
        measures="Viability assessments completed within 10 working days of the request",
        basis="Local: no national timescale; the local authority's default is 10 working days",
        timescale_key=KEY,
        target=DEFAULT_TARGET,
        tables=("assure_viability_assessments",),
        compute=compute,
    )
)
