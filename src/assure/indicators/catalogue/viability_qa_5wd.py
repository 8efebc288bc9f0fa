"""Completed viability assessments quality-assured within 5 working days (local default).

Each assessment completed creates the obligation, due 5 working days after completion; its QA
date meets it. Never void: a completed assessment always needs its quality assurance.
"""

from collections.abc import Iterator

from assure.casedata.models import ViabilityAssessment
from assure.indicators.engine import DEFAULT_TARGET, Indicator, Obligation, Window, register
from assure.indicators.obligations import (
    day,
    due_map,
    earliest_start,
    fetch,
    judge,
    obligation,
    person_ids,
    rows_of,
)

KEY = "viability_qa_wd"


def compute(window: Window) -> Iterator[Obligation]:
    to = window.end
    rows = fetch(
        rows_of(ViabilityAssessment, window.partnership_id)
        .filter(completed_date__gte=earliest_start(KEY, window.start), completed_date__lte=to)
        .values_list("ssd_id", "person_id", day("completed_date"), day("qa_date")),
        dates=(2, 3),
    )
    dues = due_map(KEY, (row[2] for row in rows))
    people = person_ids(window)
    for ssd_id, person, completed, qa in rows:
        due = dues[completed]
        if due < window.start:
            continue
        status = judge(due, qa, to)
        ref = f"viability assessment {ssd_id} QA"
        yield obligation(people[person], ref, due, qa, status, to)


INDICATOR = register(
    Indicator(
        id="viability_qa_5wd",
        title="Viability assessments quality-assured within 5 working days",
        measures="Completed viability assessments quality-assured within 5 working days",
        basis="Local default: viability assessment QA within 5 working days of completion",
        timescale_key=KEY,
        target=DEFAULT_TARGET,
        tables=("assure_viability_assessments",),
        compute=compute,
    )
)
