"""Each core group meeting written up on the case system within 5 working days (local default).

Every meeting held creates the obligation; its recorded date meets it. A record is needed even
when the plan has since ended, so these obligations are never void.
"""

import polars as pl

from assure.indicators.engine import DEFAULT_TARGET, Columns, Indicator, Window, register
from assure.indicators.obligations import (
    core_groups_frame,
    due_column,
    earliest_start,
    judged,
    person_ids,
    plans_frame,
)

KEY = "core_group_record_wd"


def compute(window: Window) -> Columns:
    to = window.end
    lower = earliest_start(KEY, window.start)
    rows = core_groups_frame(window).filter(pl.col("held") >= lower)
    rows = (
        rows.with_columns(due=due_column(KEY, rows["held"]), done=pl.col("recorded"))
        .filter(pl.col("due") >= window.start)
        .with_columns(status=judged(to))
        .join(plans_frame(window).select(plan="pk", plan_ssd_id="ssd_id"), on="plan", how="left")
    )
    ref = pl.concat_str(
        pl.lit("plan "),
        pl.col("plan_ssd_id").fill_null("?"),
        pl.lit(" core group "),
        "ssd_id",
        pl.lit(" record"),
    )
    return Columns(rows, ref, to, people=lambda: person_ids(window))


INDICATOR = register(
    Indicator(
        id="core_group_recorded_5wd",
        title="Core group records written up within 5 working days",
        measures="Core group meetings whose record was written up within 5 working days",
        basis="Local default: core group record on the case system within 5 working days",
        timescale_key=KEY,
        target=DEFAULT_TARGET,
        tables=("assure_core_groups",),
        compute=compute,
    )
)
