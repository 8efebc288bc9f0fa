"""Plan actions that say the outcome, the risk, the timeframe and who is responsible.

A check as at `to` of every action of each plan open at `to` (started, not ended, the child
alive): breach when any of the four elements is missing.
"""

from collections.abc import Iterator

from assure.casedata.models import PlanAction
from assure.indicators.engine import DEFAULT_TARGET, Indicator, Obligation, Window, register
from assure.indicators.obligations import (
    check,
    deaths,
    fetch,
    obligation,
    open_at,
    plans,
    rows_of,
)


def compute(window: Window) -> Iterator[Obligation]:
    died = deaths(window)
    live = {plan.pk: plan for plan in plans(window) if open_at(plan, window, died)}
    rows = fetch(
        rows_of(PlanAction, window.partnership_id).values_list(
            "ssd_id", "plan_id", "has_outcome", "has_risk", "has_timeframe", "has_responsible"
        ),
        flags=(2, 3, 4, 5),
    )
    for ssd_id, plan_pk, outcome, risk, timeframe, responsible in rows:
        plan = live.get(plan_pk)
        if plan is None:
            continue
        status = check(bool(outcome and risk and timeframe and responsible))
        ref = f"plan {plan.ssd_id} action {ssd_id}"
        yield obligation(plan.person_id, ref, None, None, status, window.end)


INDICATOR = register(
    Indicator(
        id="plan_action_quality",
        title="Plan actions fully specified",
        measures=(
            "Actions of plans open at the report date that state the outcome sought, the risk "
            "addressed, a timeframe and who is responsible"
        ),
        basis="Statutory guidance: Working Together to Safeguard Children (the plan's content)",
        timescale_key=None,
        target=DEFAULT_TARGET,
        tables=("ssd_cp_plans", "assure_plan_actions"),
        compute=compute,
    )
)
