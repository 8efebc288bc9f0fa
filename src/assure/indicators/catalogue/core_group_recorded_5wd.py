"""Each core group meeting written up on the case system within 5 working days (local default).

Every meeting held creates the obligation; its recorded date meets it. A record is needed even
when the plan has since ended, so these obligations are never void.
"""

from collections.abc import Iterator

from assure.indicators.engine import DEFAULT_TARGET, Indicator, Obligation, Window, register
from assure.indicators.obligations import (
    core_groups,
    due_map,
    earliest_start,
    judge,
    obligation,
    person_ids,
    plans,
)

KEY = "core_group_record_wd"


def compute(window: Window) -> Iterator[Obligation]:
    to = window.end
    lower = earliest_start(KEY, window.start)
    rows = [meeting for meeting in core_groups(window) if meeting.held >= lower]
    dues = due_map(KEY, (meeting.held for meeting in rows))
    people = person_ids(window)
    plan_ids = {plan.pk: plan.ssd_id for plan in plans(window)}
    for ssd_id, plan_pk, person, held, recorded in rows:
        due = dues[held]
        if due < window.start:
            continue
        status = judge(due, recorded, to)
        ref = f"plan {plan_ids.get(plan_pk, '?')} core group {ssd_id} record"
        yield obligation(people[person], ref, due, recorded, status, to)


INDICATOR = register(
    Indicator(
        id="core_group_recorded_5wd",
        title="Core group records written up within 5 working days",
        measures="Core group meetings whose record was written up within 5 working days",
        basis="Local default: core group record on the case system within 5 working days",
        timescale_key=KEY,
        target=DEFAULT_TARGET,
        tables=("assure_core_groups",),
        compute=compute,
    )
)
