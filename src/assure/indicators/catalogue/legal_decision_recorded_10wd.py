"""Legal planning decisions recorded on the child's file within 10 working days (local).

Each decision, whether a meeting was held or declined, is due to be recorded 10 working days
after its decision date. A declined request with no decision date is taken as decided on the
day it was requested (declining is the decision); a meeting with no decision date has not
decided yet and creates no obligation. A record is needed whatever happens next: never void.
"""

from collections.abc import Iterator

from assure.casedata.models import LegalPlanning
from assure.indicators.engine import DEFAULT_TARGET, Indicator, Obligation, Window, register
from assure.indicators.obligations import (
    day,
    due_map,
    fetch,
    judge,
    obligation,
    person_ids,
    rows_of,
)

KEY = "legal_decision_record_wd"


def compute(window: Window) -> Iterator[Obligation]:
    to = window.end
    rows = fetch(
        rows_of(LegalPlanning, window.partnership_id)
        .filter(requested_date__lte=to)
        .values_list(
            "ssd_id",
            "person_id",
            "route",
            day("requested_date"),
            day("decision_date"),
            day("recorded_date"),
        ),
        dates=(3, 4, 5),
    )
    decided = []
    for ssd_id, person_id, route, requested, decision, recorded in rows:
        if decision is None and route == LegalPlanning.Route.DECLINED:
            decision = requested
        if decision is not None and decision <= to:
            decided.append((ssd_id, person_id, decision, recorded))
    dues = due_map(KEY, (row[2] for row in decided))
    people = person_ids(window)
    for ssd_id, person, decision, recorded in decided:
        due = dues[decision]
        if due < window.start:
            continue
        status = judge(due, recorded, to)
        yield obligation(people[person], f"legal planning {ssd_id}", due, recorded, status, to)


INDICATOR = register(
    Indicator(
        id="legal_decision_recorded_10wd",
        title="Legal planning decisions recorded within 10 working days",
        measures=(
            "Legal planning decisions (meeting held or declined) recorded on the child's file "
            "within 10 working days (two weeks)"
        ),
        basis="Local default: legal gateway decisions recorded within two weeks",
        timescale_key=KEY,
        target=DEFAULT_TARGET,
        tables=("assure_legal_planning",),
        compute=compute,
    )
)
