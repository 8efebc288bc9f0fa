"""Plans open for 2 years or longer (DfE measure).

A check as at `to` of each plan open at `to` (started, not ended, the child alive): breach when
it has been open 2 years or longer (its start plus 24 months is on or before `to`).
"""

from collections.abc import Iterator

from assure.indicators.engine import DEFAULT_TARGET, Indicator, Obligation, Window, register
from assure.indicators.obligations import check, deaths, due_map, obligation, open_at, plans

KEY = "long_plan_years"


def compute(window: Window) -> Iterator[Obligation]:
    died = deaths(window)
    live = [plan for plan in plans(window) if open_at(plan, window, died)]
    dues = due_map(KEY, (plan.start for plan in live))
    for plan in live:
        status = check(dues[plan.start] > window.end)
        yield obligation(plan.person_id, f"plan {plan.ssd_id}", None, None, status, window.end)


INDICATOR = register(
    Indicator(
        id="long_plan_2y",
        title="Plans open less than 2 years",
        measures="Plans open at the report date that have been open for less than 2 years",
        basis="DfE measure: child protection plans lasting 2 years or more",
        timescale_key=KEY,
        target=DEFAULT_TARGET,
        tables=("ssd_cp_plans",),
        compute=compute,
    )
)
