"""Review conferences on time: first within 3 months of the ICPC, then at most 6 months apart.

A chain per plan from its start (the initial or transfer-in conference): the first review is due
3 months after the start, each later one 6 months after the previous conference. Only a review
conference ends a plan: after the review that ends it no more are due. A plan ending otherwise
(or the child dying) before the next review falls due makes that obligation void.
"""

import polars as pl

from assure.indicators.engine import DEFAULT_TARGET, Columns, Indicator, Window, register
from assure.indicators.obligations import (
    due_column,
    earliest_start,
    judged,
    links,
    plans_frame,
    reviews_frame,
)

KEY = "rcpc_interval_months"
FIRST_KEY = "rcpc_first_months"


def compute(window: Window) -> Columns:
    to = window.end
    lower = min(earliest_start(KEY, window.start), earliest_start(FIRST_KEY, window.start))
    live = plans_frame(window).filter(pl.col("end").is_null() | (pl.col("end") >= lower))
    plan_info = live.select(plan="pk", start="start", ended="ended")
    held = (
        reviews_frame(window)
        .join(plan_info.select("plan", "start"), on="plan")
        .filter(pl.col("date") > pl.col("start"))
        .select("plan", "date")
    )
    events = pl.concat([live.select(plan="pk", date="start"), held])
    chained = links(events.join(plan_info, on="plan"))
    chained = chained.with_columns(
        due=pl.when(pl.col("number") == 1)
        .then(due_column(FIRST_KEY, chained["start"]))
        .otherwise(due_column(KEY, chained["previous"]))
    )
    chained = chained.filter(pl.col("due") >= window.start).with_columns(
        status=judged(to, ended="ended")
    )
    ref = pl.concat_str(
        pl.lit("plan "), "ssd_id", pl.lit(" review "), pl.col("number").cast(pl.String)
    )
    names = live.select(plan="pk", ssd_id="ssd_id", person_id="person_id")
    return Columns(chained, ref, to, people=lambda: names, ended="ended")


INDICATOR = register(
    Indicator(
        id="rcpc_timeliness",
        title="Review conferences on time",
        measures=(
            "Review child protection conferences held within 3 months of the initial "
            "conference, then within 6 months of the previous conference"
        ),
        basis="Statutory: Working Together to Safeguard Children",
        timescale_key=KEY,
        target=DEFAULT_TARGET,
        tables=("ssd_cp_plans", "ssd_cp_reviews"),
        compute=compute,
    )
)
