"""Statutory visits: each next visit seeing the child within 10 working days (local default).

A chain per plan from its start: each visit at which the child was seen makes the next one due
10 working days later; the chain stops at the first visit not made by `to`. Before a child is
born there is nobody to see, so a visit with "seen" blank counts when the child had not been
born (no birth month yet, or the visit is before the end of the birth month). The plan ending
(or the child dying) before a visit falls due makes it void. Each link is named by the date it
follows, so only the visits that can matter for the window are read.
"""

from collections.abc import Iterator
from datetime import date

from assure.casedata.models import CPVisit
from assure.core.calendar import add_months
from assure.indicators.engine import DEFAULT_TARGET, Indicator, Obligation, Window, register
from assure.indicators.obligations import (
    chain,
    day,
    deaths,
    due_map,
    earliest_start,
    fetch,
    obligation,
    plans,
    rows_of,
    void_from,
)

KEY = "cp_visit_wd"


def compute(window: Window) -> Iterator[Obligation]:
    to = window.end
    lower = earliest_start(KEY, window.start)
    rows = fetch(
        rows_of(CPVisit, window.partnership_id)
        .filter(date__gte=lower, date__lte=to)
        .exclude(seen=False)
        .values_list("plan_id", day("date"), "seen"),
        dates=(1,),
        flags=(2,),
    )
    every = plans(window)
    # Blank "seen" counts only before the child was born (before the end of the birth month).
    born_by = {
        plan.pk: add_months(plan.birth_month, 1) if plan.birth_month else date.max for plan in every
    }
    by_plan: dict[int, set[date]] = {}
    for plan_pk, when, seen in rows:
        if seen or when < born_by.get(plan_pk, date.max):
            by_plan.setdefault(plan_pk, set()).add(when)
    seen_visits = {plan_pk: sorted(dates) for plan_pk, dates in by_plan.items()}
    live = [plan for plan in every if plan.end is None or plan.end >= lower]
    dues = due_map(
        KEY,
        [plan.start for plan in live if plan.start >= lower]
        + [d for visits in seen_visits.values() for d in visits],
    )
    died = deaths(window)
    for plan in live:
        visits = [d for d in seen_visits.get(plan.pk, ()) if d > plan.start]
        if plan.start >= lower:
            start = plan.start
        elif visits:
            start = visits[0]
        else:
            continue
        ended = void_from(to, plan.end, died.get(plan.person_pk))
        for link in chain(start, visits, dues, to, ended):
            if link.due < window.start:
                continue
            ref = f"plan {plan.ssd_id} visit after {link.previous.isoformat()}"
            yield obligation(plan.person_id, ref, link.due, link.done, link.status, to)


INDICATOR = register(
    Indicator(
        id="cp_visit_10wd",
        title="Statutory visits within 10 working days",
        measures=(
            "Visits to children on plans, child seen, within 10 working days of the previous "
            "visit (or of the plan starting)"
        ),
        basis="Local default: statutory visits at least every 10 working days, child seen",
        timescale_key=KEY,
        target=DEFAULT_TARGET,
        tables=("ssd_cp_plans", "ssd_cp_visits"),
        compute=compute,
    )
)
