"""First core group within 10 working days of the plan starting at its initial conference.

Every plan starts at an initial conference (transfer-in conferences included, pre-birth plans
too); its first core group meeting on or after the start meets the obligation. The plan ending,
or the child dying, before the due date without a core group makes it void.
"""

import polars as pl

from assure.indicators.engine import DEFAULT_TARGET, Columns, Indicator, Window, register
from assure.indicators.obligations import (
    core_groups_frame,
    due_column,
    earliest_start,
    judged,
    plans_frame,
)

KEY = "core_group_first_wd"


def compute(window: Window) -> Columns:
    to = window.end
    lower = earliest_start(KEY, window.start)
    started = plans_frame(window).filter(pl.col("start") >= lower)
    first = (  # a plan's meetings are on or after its start
        core_groups_frame(window)
        .filter(pl.col("held") >= lower)
        .group_by("plan")
        .agg(done=pl.col("held").min())
    )
    rows = started.with_columns(due=due_column(KEY, started["start"]))
    rows = (
        rows.filter(pl.col("due") >= window.start)
        .join(first, left_on="pk", right_on="plan", how="left")
        .with_columns(status=judged(to, ended="ended"))
    )
    ref = pl.concat_str(pl.lit("plan "), "ssd_id", pl.lit(" first core group"))
    return Columns(rows, ref, to, ended="ended")


INDICATOR = register(
    Indicator(
        id="core_group_first_10wd",
        title="First core group within 10 working days of the plan starting",
        measures=(
            "Child protection plans whose first core group met within 10 working days of the "
            "initial (or transfer-in) conference"
        ),
        basis="Statutory: Working Together to Safeguard Children",
        timescale_key=KEY,
        target=DEFAULT_TARGET,
        tables=("ssd_cp_plans", "assure_core_groups"),
        compute=compute,
    )
)
