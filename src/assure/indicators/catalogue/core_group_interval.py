"""Each next core group of an open plan at most 42 days after the previous one (local default).

A chain from the plan's first core group: each meeting makes the next one due 42 days later; the
chain stops at the first meeting not held by `to`. The plan ending (or the child dying) before
the next meeting falls due makes that obligation void. Each link is named by the meeting it
follows, so only the meetings that can matter for the window are read.
"""

import polars as pl

from assure.indicators.engine import DEFAULT_TARGET, Columns, Indicator, Window, register
from assure.indicators.obligations import (
    core_groups_frame,
    due_column,
    earliest_start,
    iso,
    judged,
    links,
    plans_frame,
)

KEY = "core_group_interval_days"


def compute(window: Window) -> Columns:
    to = window.end
    lower = earliest_start(KEY, window.start)
    meetings = core_groups_frame(window).filter(pl.col("held") >= lower).select("plan", date="held")
    plans = plans_frame(window)
    chained = links(meetings.join(plans.select(plan="pk", ended="ended"), on="plan"))
    chained = chained.with_columns(due=due_column(KEY, chained["previous"])).filter(
        pl.col("due") >= window.start
    )
    chained = chained.with_columns(status=judged(to, ended="ended"))
    ref = pl.concat_str(pl.lit("plan "), "ssd_id", pl.lit(" core group after "), iso("previous"))
    names = plans.select(plan="pk", ssd_id="ssd_id", person_id="person_id")
    return Columns(chained, ref, to, people=lambda: names, ended="ended")


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
