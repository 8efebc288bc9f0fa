"""CSAFE flags reviewed by a child protection adviser at least every 3 months (local default).

A check as at `to` of each CSAFE flag open at `to` (started, not ended, the child alive): met
when its start or its last adviser review (on or before `to`) is within the 3 months before
`to` (that is, `to` is on or before that date plus 3 months, domain.md section 2), else breach.
"""

from collections.abc import Iterator

from django.db.models import Q

from assure.casedata.models import CaseFlag
from assure.indicators.engine import DEFAULT_TARGET, Indicator, Obligation, Window, register
from assure.indicators.obligations import (
    check,
    day,
    deaths,
    due_map,
    fetch,
    obligation,
    person_ids,
    rows_of,
)

KEY = "csafe_review_months"
CODE = "CSAFE"


def compute(window: Window) -> Iterator[Obligation]:
    to = window.end
    rows = fetch(
        rows_of(CaseFlag, window.partnership_id)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=to), code__iexact=CODE)
        .filter(start_date__lte=to)
        .values_list("ssd_id", "person_id", day("start_date"), day("last_review_date")),
        dates=(2, 3),
    )
    died = deaths(window)
    people = person_ids(window)
    flags = []
    for ssd_id, person, start, review in rows:
        if person in died:
            continue
        reviewed = review if review is not None and review <= to else None
        flags.append((ssd_id, people[person], max(start, reviewed or start), reviewed))
    dues = due_map(KEY, (row[2] for row in flags))
    for ssd_id, person_id, last, reviewed in flags:
        status = check(to <= dues[last])
        yield obligation(person_id, f"CSAFE flag {ssd_id}", None, reviewed, status, to)


INDICATOR = register(
    Indicator(
        id="csafe_review_3m",
        title="CSAFE flags reviewed within 3 months",
        measures=(
            "Open CSAFE flags started or last reviewed by a child protection adviser within "
            "the 3 months before the report date"
        ),
        basis="Local default: CSAFE cases reviewed by an adviser at least every 3 months",
        timescale_key=KEY,
        target=DEFAULT_TARGET,
        tables=("assure_case_flags",),
        compute=compute,
    )
)
