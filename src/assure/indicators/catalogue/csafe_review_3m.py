"""CSAFE flags reviewed by a child protection adviser at least every 3 months (local default).

A check as at `to` of each CSAFE flag open at `to` (started, not ended, the child alive): met
when its start or its last adviser review (on or before `to`) is within the 3 months before
`to` (that is, `to` is on or before that date plus 3 months, domain.md section 2), else breach.
"""

import polars as pl

from assure.casedata.models import CaseFlag
from assure.indicators.engine import DEFAULT_TARGET, Columns, Indicator, Window, register
from assure.indicators.obligations import (
    deaths_frame,
    due_column,
    person_ids,
    table,
)

KEY = "csafe_review_months"
CODE = "CSAFE"


def compute(window: Window) -> Columns:
    to = window.end
    end = pl.col("end_date")
    rows = (
        table(
            window,
            CaseFlag,
            "ssd_id",
            "person_id",
            "code",
            "start_date",
            "end_date",
            "last_review_date",
        )
        .filter(
            pl.col("code").str.to_uppercase() == CODE,
            pl.col("start_date") <= to,
            end.is_null() | (end > to),
        )
        .select("ssd_id", person_pk="person_id", start="start_date", review="last_review_date")
    )
    review = pl.col("review")
    rows = rows.join(deaths_frame(window), on="person_pk", how="anti").with_columns(
        done=pl.when(review <= to).then(review)
    )
    rows = rows.with_columns(
        last=pl.max_horizontal("start", pl.col("done").fill_null(pl.col("start")))
    )
    rows = rows.with_columns(until=due_column(KEY, rows["last"])).select(
        "ssd_id",
        "person_pk",
        "done",
        due=pl.lit(None, dtype=pl.Date),
        status=pl.when(pl.col("until") >= to).then(pl.lit("met")).otherwise(pl.lit("breach")),
    )
    ref = pl.concat_str(pl.lit("CSAFE flag "), "ssd_id")
    return Columns(rows, ref, to, people=lambda: person_ids(window))


INDICATOR = register(
    Indicator(
        id="csafe_review_3m",
        title="CSAFE flags reviewed within 3 months",
        measures=(
            "Open CSAFE flags started or last reviewed by a child protection adviser within "
            "the 3 months before the report date"
        ),
        basis="Local default: CSAFE cases reviewed by an adviser at least every 3 months",
        timescale_key=KEY,
        target=DEFAULT_TARGET,
        tables=("assure_case_flags",),
        compute=compute,
    )
)
