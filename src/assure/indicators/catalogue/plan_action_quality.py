"""Plan actions that say the outcome, the risk, the timeframe and who is responsible.

A check as at `to` of every action of each plan open at `to` (started, not ended, the child
alive): breach when any of the four elements is missing.
"""

import polars as pl

from assure.casedata.models import PlanAction
from assure.indicators.engine import DEFAULT_TARGET, Columns, Indicator, Window, register
from assure.indicators.obligations import plans_frame, table


def compute(window: Window) -> Columns:
    to = window.end
    live = plans_frame(window).filter(
        (pl.col("start") <= to) & pl.col("end").is_null() & pl.col("died").is_null()
    )
    actions = table(
        window,
        PlanAction,
        "ssd_id",
        "plan_id",
        "has_outcome",
        "has_risk",
        "has_timeframe",
        "has_responsible",
    ).select(
        "ssd_id",
        plan="plan_id",
        outcome="has_outcome",
        risk="has_risk",
        timeframe="has_timeframe",
        responsible="has_responsible",
    )
    complete = pl.all_horizontal(
        pl.col(name).fill_null(False) for name in ("outcome", "risk", "timeframe", "responsible")
    )
    rows = actions.join(
        live.select(plan="pk", plan_ssd_id="ssd_id", person_id="person_id"), on="plan"
    ).select(
        "ssd_id",
        "plan_ssd_id",
        "person_id",
        due=pl.lit(None, dtype=pl.Date),
        done=pl.lit(None, dtype=pl.Date),
        status=pl.when(complete).then(pl.lit("met")).otherwise(pl.lit("breach")),
    )
    ref = pl.concat_str(pl.lit("plan "), "plan_ssd_id", pl.lit(" action "), "ssd_id")
    return Columns(rows, ref, to)


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
