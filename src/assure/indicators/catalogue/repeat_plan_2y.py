"""Repeat plans: plans starting within 2 years of the child's previous plan ending (DfE).

Each plan started in the window [from, to] is checked: breach when a previous plan of the same
child ended on or before it started and within 2 years before it (the start is on or before the
previous end plus 24 months, domain.md section 2). No due date: a check at the plan's start.
"""

from collections.abc import Iterator
from datetime import date

from assure.indicators.engine import DEFAULT_TARGET, Indicator, Obligation, Window, register
from assure.indicators.obligations import check, due_map, obligation, plans

KEY = "repeat_plan_years"


def compute(window: Window) -> Iterator[Obligation]:
    every = plans(window)
    ends: dict[int, list[tuple[date, date]]] = {}
    for plan in every:
        if plan.end is not None:
            ends.setdefault(plan.person_pk, []).append((plan.start, plan.end))
    started = [plan for plan in every if window.start <= plan.start <= window.end]
    dues = due_map(KEY, (end for plan in started for _, end in ends.get(plan.person_pk, ())))
    for plan in started:
        repeat = any(
            start < plan.start and end <= plan.start <= dues[end]
            for start, end in ends.get(plan.person_pk, ())
        )
        status = check(not repeat)
        yield obligation(plan.person_id, f"plan {plan.ssd_id}", None, None, status, window.end)


INDICATOR = register(
    Indicator(
        id="repeat_plan_2y",
        title="Plans that are not repeats within 2 years",
        measures=(
            "Plans started in the window that did not follow a previous plan of the same child "
            "ending within the 2 years before"
        ),
        basis="DfE measure: repeat child protection plans within 2 years",
        timescale_key=KEY,
        target=DEFAULT_TARGET,
        tables=("ssd_cp_plans",),
        compute=compute,
    )
)
