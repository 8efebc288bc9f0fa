"""Plans open for 2 years or longer (DfE measure).

A check as at `to` of each plan open at `to` (started, not ended, the child alive): breach when
it has been open 2 years or longer (its start plus 24 months is on or before `to`).
"""

import polars as pl

from assure.indicators.engine import DEFAULT_TARGET, Columns, Indicator, Window, register
from assure.indicators.obligations import due_column, plans_frame

KEY = "long_plan_years"


def compute(window: Window) -> Columns:
    to = window.end
    live = plans_frame(window).filter(
        (pl.col("start") <= to) & pl.col("end").is_null() & pl.col("died").is_null()
    )
    rows = live.select(
        "ssd_id",
        "person_id",
        due=pl.lit(None, dtype=pl.Date),
        done=pl.lit(None, dtype=pl.Date),
        status=pl.when(due_column(KEY, live["start"]) > to)
        .then(pl.lit("met"))
        .otherwise(pl.lit("breach")),
    )
    return Columns(rows, pl.concat_str(pl.lit("plan "), "ssd_id"), to)


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
