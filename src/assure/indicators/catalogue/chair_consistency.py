"""The same chair for a child's conferences over the last 12 months (good practice).

For each child with two or more conferences (initial, transfer-in or review) dated after `to`
minus 12 months and on or before `to`: breach when more than one chair is recorded for them
(chairs come from `assure_conference_chairs` by meeting id; a conference with no chair recorded
adds no chair). A check as at `to`, so it has no due date.
"""

import polars as pl

from assure.casedata.models import ConferenceChair, InitialConference, ReviewConference
from assure.core.calendar import add_months
from assure.indicators.engine import DEFAULT_TARGET, Columns, Indicator, Window, register
from assure.indicators.obligations import person_ids, table

MONTHS = 12


def compute(window: Window) -> Columns:
    to = window.end
    since = add_months(to, -MONTHS)
    conferences = pl.concat(
        [
            table(window, model, "person_id", "meeting_id", "date")
            .filter(pl.col("date") > since, pl.col("date") <= to)
            .select(person_pk="person_id", meeting="meeting_id")
            for model in (InitialConference, ReviewConference)
        ]
    ).with_columns(meeting=pl.when(pl.col("meeting") != "").then(pl.col("meeting")))
    chairs = table(window, ConferenceChair, "ssd_id", "chair_id").select(
        meeting="ssd_id", chair="chair_id"
    )
    conferences = conferences.join(chairs, on="meeting", how="left")
    rows = (
        conferences.group_by("person_pk")
        .agg(n=pl.len(), chairs=pl.col("chair").drop_nulls().n_unique())
        .filter(pl.col("n") >= 2)
        .select(
            "person_pk",
            due=pl.lit(None, dtype=pl.Date),
            done=pl.lit(None, dtype=pl.Date),
            status=pl.when(pl.col("chairs") <= 1).then(pl.lit("met")).otherwise(pl.lit("breach")),
        )
    )
    ref = pl.lit(f"conferences {add_months(to, -MONTHS).isoformat()} to {to.isoformat()}")
    return Columns(rows, ref, to, people=lambda: person_ids(window))


INDICATOR = register(
    Indicator(
        id="chair_consistency",
        title="One chair for a child's conferences",
        measures=(
            "Children with two or more conferences in the 12 months to the report date whose "
            "conferences all had the same chair"
        ),
        basis="Good practice (local): the same independent chair for a child's conferences",
        timescale_key=None,
        target=DEFAULT_TARGET,
        tables=("ssd_initial_cp_conference", "ssd_cp_reviews", "assure_conference_chairs"),
        compute=compute,
    )
)
