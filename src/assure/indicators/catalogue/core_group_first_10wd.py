"""First core group within 10 working days of the plan starting at its initial conference.

Every plan starts at an initial conference (transfer-in conferences included, pre-birth plans
too); its first core group meeting on or after the start meets the obligation. The plan ending,
or the child dying, before the due date without a core group makes it void.
"""

from collections.abc import Iterator
from datetime import date

from assure.indicators.engine import DEFAULT_TARGET, Indicator, Obligation, Window, register
from assure.indicators.obligations import (
    core_groups,
    deaths,
    due_map,
    earliest_start,
    judge,
    obligation,
    plans,
    void_from,
)

KEY = "core_group_first_wd"


def compute(window: Window) -> Iterator[Obligation]:
    to = window.end
    lower = earliest_start(KEY, window.start)
    started = [plan for plan in plans(window) if plan.start >= lower]
    first: dict[int, date] = {}
    for meeting in core_groups(window):  # a plan's meetings are on or after its start
        if meeting.held >= lower and meeting.held < first.get(meeting.plan_pk, date.max):
            first[meeting.plan_pk] = meeting.held
    dues = due_map(KEY, (plan.start for plan in started))
    died = deaths(window)
    for plan in started:
        due = dues[plan.start]
        if due < window.start:
            continue
        done = first.get(plan.pk)
        status = judge(due, done, to, void_from(to, plan.end, died.get(plan.person_pk)))
        yield obligation(
            plan.person_id, f"plan {plan.ssd_id} first core group", due, done, status, to
        )


INDICATOR = register(
    Indicator(
        id="core_group_first_10wd",
        title="First core group within 10 working days of the plan starting",
        measures=(
            "Child protection plans whose first core group met within 10 working days of the "
            "initial (or transfer-in) conference"
        ),
        basis="Statutory: Working Together to Safeguard Children",
        timescale_key=KEY,
        target=DEFAULT_TARGET,
        tables=("ssd_cp_plans", "assure_core_groups"),
        compute=compute,
    )
)
