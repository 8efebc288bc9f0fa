"""A chair's mid-way review between each two consecutive conferences of a plan (local).

A plan's conferences are its start (the initial or transfer-in conference) and its review
conferences. For each two consecutive ones whose interval ends in the window (the later
conference held in [from, to]): met when a mid-way review is dated strictly between them,
breach when none is. The obligation's due date is the later conference.
"""

import polars as pl

from assure.casedata.models import MidwayReview
from assure.indicators.engine import DEFAULT_TARGET, Columns, Indicator, Window, register
from assure.indicators.obligations import links, plans_frame, reviews_frame, table


def compute(window: Window) -> Columns:
    to = window.end
    every = plans_frame(window).select(
        plan="pk", start="start", ssd_id="ssd_id", person_id="person_id"
    )
    held = (
        reviews_frame(window)
        .join(every.select("plan", "start"), on="plan")
        .filter(pl.col("date") > pl.col("start"))
        .select("plan", "date")
    )
    conferences = pl.concat([every.select("plan", date="start"), held]).with_columns(
        ended=pl.lit(None, dtype=pl.Date)
    )
    # Each two consecutive conferences, the later one (`due`) held in the window.
    intervals = (
        links(conferences)
        .rename({"done": "due"})
        .filter(pl.col("due").is_between(window.start, to))
        .sort("previous")
    )
    midways = (
        table(window, MidwayReview, "plan_id", "date")
        .filter(pl.col("date") <= to)
        .select(plan="plan_id", midway="date")
        .unique()
        .sort("midway")
    )
    # The first mid-way review after the earlier conference, if it is before the later one.
    found = intervals.join_asof(
        midways,
        left_on="previous",
        right_on="midway",
        by="plan",
        strategy="forward",
        allow_exact_matches=False,
        check_sortedness=False,
    )
    rows = found.with_columns(
        done=pl.when(pl.col("midway") < pl.col("due")).then(pl.col("midway"))
    ).with_columns(
        status=pl.when(pl.col("done").is_not_null()).then(pl.lit("met")).otherwise(pl.lit("breach"))
    )
    ref = pl.concat_str(
        pl.lit("plan "),
        "ssd_id",
        pl.lit(" mid-way review between conferences "),
        pl.col("number").cast(pl.String),
        pl.lit(" and "),
        (pl.col("number") + 1).cast(pl.String),
    )
    names = every.select("plan", "ssd_id", "person_id")
    return Columns(rows, ref, to, people=lambda: names)


INDICATOR = register(
    Indicator(
        id="midway_review",
        title="Mid-way reviews between conferences",
        measures=(
            "Intervals between two consecutive conferences of a plan, ending in the window, "
            "with a chair's mid-way review between them"
        ),
        basis="Local: a chair's mid-way review of each plan between conferences",
        timescale_key=None,
        target=DEFAULT_TARGET,
        tables=("ssd_cp_plans", "ssd_cp_reviews", "assure_midway_reviews"),
        compute=compute,
    )
)
