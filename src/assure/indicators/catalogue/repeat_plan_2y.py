"""Repeat plans: plans starting within 2 years of the child's previous plan ending (DfE).

Each plan started in the window [from, to] is checked: breach when a previous plan of the same
child ended on or before it started and within 2 years before it (the start is on or before the
previous end plus 24 months, domain.md section 2). No due date: a check at the plan's start.
"""

import polars as pl

from assure.indicators.engine import DEFAULT_TARGET, Columns, Indicator, Window, register
from assure.indicators.obligations import due_column, plans_frame

KEY = "repeat_plan_years"


def compute(window: Window) -> Columns:
    every = plans_frame(window)
    ended = every.filter(pl.col("end").is_not_null()).select("person_pk", before="start", end="end")
    ended = ended.with_columns(until=due_column(KEY, ended["end"]))
    started = every.filter(pl.col("start").is_between(window.start, window.end)).select(
        "pk", "person_pk", "ssd_id", "person_id", "start"
    )
    repeats = (
        started.join(ended, on="person_pk")
        .filter(
            (pl.col("before") < pl.col("start"))
            & (pl.col("end") <= pl.col("start"))
            & (pl.col("start") <= pl.col("until"))
        )
        .select("pk")
        .unique()
    )
    rows = started.join(repeats.with_columns(repeat=pl.lit(True)), on="pk", how="left").select(
        "ssd_id",
        "person_id",
        due=pl.lit(None, dtype=pl.Date),
        done=pl.lit(None, dtype=pl.Date),
        status=pl.when(pl.col("repeat").is_null()).then(pl.lit("met")).otherwise(pl.lit("breach")),
    )
    return Columns(rows, pl.concat_str(pl.lit("plan "), "ssd_id"), window.end)


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
