"""The same chair for a child's conferences over the last 12 months (good practice).

For each child with two or more conferences (initial, transfer-in or review) dated after `to`
minus 12 months and on or before `to`: breach when more than one chair is recorded for them
(chairs come from `assure_conference_chairs` by meeting id; a conference with no chair recorded
adds no chair). A check as at `to`, so it has no due date.
"""

import polars as pl
from django.db.models import Q

from assure.casedata.models import ConferenceChair, InitialConference, ReviewConference
from assure.core.calendar import add_months
from assure.indicators.engine import DEFAULT_TARGET, Columns, Indicator, Window, register
from assure.indicators.obligations import frame, person_ids, rows_of

MONTHS = 12


def compute(window: Window) -> Columns:
    partnership, to = window.partnership_id, window.end
    since = add_months(to, -MONTHS)
    initial = rows_of(InitialConference, partnership).filter(date__gt=since, date__lte=to)
    reviews = rows_of(ReviewConference, partnership).filter(date__gt=since, date__lte=to)
    schema = {"person_pk": pl.Int64, "meeting": pl.String}
    conferences = pl.concat(
        [
            frame(initial.values_list("person_id", "meeting_id"), schema),
            frame(reviews.values_list("person_id", "meeting_id"), schema),
        ]
    )
    chairs = frame(
        rows_of(ConferenceChair, partnership)
        .filter(
            Q(ssd_id__in=initial.exclude(meeting_id="").values("meeting_id"))
            | Q(ssd_id__in=reviews.exclude(meeting_id="").values("meeting_id"))
        )
        .values_list("ssd_id", "chair_id"),
        {"meeting": pl.String, "chair": pl.Int64},
    ).unique("meeting", keep="last")
    conferences = conferences.with_columns(
        meeting=pl.when(pl.col("meeting") != "").then(pl.col("meeting"))
    ).join(chairs, on="meeting", how="left")
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
