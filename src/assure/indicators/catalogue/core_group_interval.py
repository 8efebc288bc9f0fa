"""Each next core group of an open plan at most 42 days after the previous one (local default).

A chain from the plan's first core group: each meeting makes the next one due 42 days later; the
chain stops at the first meeting not held by `to`. The plan ending (or the child dying) before
the next meeting falls due makes that obligation void. Each link is named by the meeting it
follows, so only the meetings that can matter for the window are read.
"""

from collections.abc import Iterator
from datetime import date

from assure.indicators.engine import DEFAULT_TARGET, Indicator, Obligation, Window, register
from assure.indicators.obligations import (
    chain,
    core_groups,
    deaths,
    due_map,
    earliest_start,
    obligation,
    plans,
    void_from,
)

KEY = "core_group_interval_days"


def compute(window: Window) -> Iterator[Obligation]:
    to = window.end
    lower = earliest_start(KEY, window.start)
    by_plan: dict[int, set[date]] = {}
    for meeting in core_groups(window):
        if meeting.held >= lower:
            by_plan.setdefault(meeting.plan_pk, set()).add(meeting.held)
    dues = due_map(KEY, (d for dates in by_plan.values() for d in dates))
    by_pk = {plan.pk: plan for plan in plans(window)}
    died = deaths(window)
    for plan_pk, dates in by_plan.items():
        plan = by_pk.get(plan_pk)
        if plan is None:
            continue
        meetings = sorted(dates)
        ended = void_from(to, plan.end, died.get(plan.person_pk))
        for link in chain(meetings[0], meetings, dues, to, ended):
            if link.due < window.start:
                continue
            ref = f"plan {plan.ssd_id} core group after {link.previous.isoformat()}"
            yield obligation(plan.person_id, ref, link.due, link.done, link.status, to)


INDICATOR = register(
    Indicator(
        id="core_group_interval",
        title="Core groups at most 6 weeks apart",
        measures=("Core group meetings of open plans held within 42 days of the previous meeting"),
        basis="Local default: core groups at most 6 weeks (42 days) apart",
        timescale_key=KEY,
        target=DEFAULT_TARGET,
        tables=("ssd_cp_plans", "assure_core_groups"),
        compute=compute,
    )
)
