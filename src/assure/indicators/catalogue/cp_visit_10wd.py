"""Statutory visits: each next visit seeing the child within 10 working days (local default).

A chain per plan from its start: each visit at which the child was seen makes the next one due
10 working days later; the chain stops at the first visit not made by `to`. Before a child is
born there is nobody to see, so a visit with "seen" blank counts when the child had not been
born (no birth month yet, or the visit is before the end of the birth month). The plan ending
(or the child dying) before a visit falls due makes it void. Each link is named by the date it
follows, so only the visits that can matter for the window are read.
"""

import polars as pl

from assure.casedata.models import CPVisit
from assure.indicators.engine import (
    DEFAULT_TARGET,
    Columns,
    Indicator,
    Window,
    register,
)
from assure.indicators.obligations import (
    due_column,
    earliest_start,
    iso,
    judged,
    links,
    plans_frame,
    table,
)

KEY = "cp_visit_wd"


def compute(window: Window) -> Columns:
    to = window.end
    lower = earliest_start(KEY, window.start)
    visits = (
        table(window, CPVisit, "plan_id", "date", "seen")
        .filter(pl.col("date").is_between(lower, to), pl.col("seen").ne_missing(False))
        .select(plan="plan_id", date="date", seen="seen")
    )
    every = plans_frame(window)
    live = every.filter(pl.col("end").is_null() | (pl.col("end") >= lower))
    # Blank "seen" counts only before the child was born (before the end of the birth month).
    plan_info = live.select(
        plan="pk", start="start", born_by=pl.col("birth_month").dt.offset_by("1mo")
    )
    seen = (
        visits.join(plan_info, on="plan")
        .filter(
            pl.col("seen").fill_null(False)
            | pl.col("born_by").is_null()
            | (pl.col("date") < pl.col("born_by"))
        )
        .filter(pl.col("date") > pl.col("start"))
        .select("plan", "date")
    )
    # A plan started within reach is chained from its start, any other from its first visit.
    starts = live.filter(pl.col("start") >= lower).select(plan="pk", date="start")
    chained = links(
        pl.concat([starts, seen]).join(live.select(plan="pk", ended="ended"), on="plan")
    )
    chained = chained.with_columns(due=due_column(KEY, chained["previous"])).filter(
        pl.col("due") >= window.start
    )
    chained = chained.with_columns(status=judged(to, ended="ended"))
    ref = pl.concat_str(pl.lit("plan "), "ssd_id", pl.lit(" visit after "), iso("previous"))
    names = live.select(plan="pk", ssd_id="ssd_id", person_id="person_id")
    return Columns(chained, ref, to, people=lambda: names, ended="ended")


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
