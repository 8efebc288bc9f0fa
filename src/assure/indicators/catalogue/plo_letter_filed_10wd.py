"""Letters before proceedings filed on the child's file within 10 working days (local).

Each pre-proceedings episode with a letter creates the obligation, due 10 working days after
the letter date; the letter's filed date (from `assure_plo_filing`) meets it. Never void.
"""

from collections.abc import Iterator

from assure.casedata.models import PreProceedings
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

KEY = "plo_letter_filed_wd"


def compute(window: Window) -> Iterator[Obligation]:
    to = window.end
    rows = fetch(
        rows_of(PreProceedings, window.partnership_id)
        .filter(letter_date__gte=earliest_start(KEY, window.start), letter_date__lte=to)
        .values_list("ssd_id", "person_id", day("letter_date"), day("letter_filed_date")),
        dates=(2, 3),
    )
    dues = due_map(KEY, (row[2] for row in rows))
    people = person_ids(window)
    for ssd_id, person, letter, filed in rows:
        due = dues[letter]
        if due < window.start:
            continue
        status = judge(due, filed, to)
        ref = f"pre-proceedings {ssd_id} letter filed"
        yield obligation(people[person], ref, due, filed, status, to)


INDICATOR = register(
    Indicator(
        id="plo_letter_filed_10wd",
        title="Letters before proceedings filed within 10 working days",
        measures="Letters before proceedings filed on the child's file within 10 working days",
        basis="Local default: PLO letter filed on the child's file within 10 working days",
        timescale_key=KEY,
        target=DEFAULT_TARGET,
        tables=("ssd_pre_proceedings", "assure_plo_filing"),
        compute=compute,
    )
)
