"""Viability assessments completed within 10 working days of the request (local default).

Each request is due to be completed 10 working days later. An assessment withdrawn without
being completed is void (the extract does not say when it was withdrawn, so it is void whatever
the report date), as is one for a child who died before it fell due.
"""

import polars as pl

from assure.casedata.models import ViabilityAssessment
from assure.indicators.engine import DEFAULT_TARGET, Columns, Indicator, Window, register
from assure.indicators.obligations import dated_obligations, deaths_frame, judged, person_ids

KEY = "viability_wd"


def compute(window: Window) -> Columns:
    to = window.end
    withdrawn = (pl.col("outcome") == ViabilityAssessment.Outcome.WITHDRAWN.value).fill_null(
        False
    ) & pl.col("done").is_null()
    rows = (
        dated_obligations(
            window,
            ViabilityAssessment,
            KEY,
            "requested_date",
            "completed_date",
            extra=("outcome",),
        )
        .join(deaths_frame(window), on="person_pk", how="left")
        .with_columns(
            status=pl.when(withdrawn).then(pl.lit("void")).otherwise(judged(to, ended="died"))
        )
    )
    ref = pl.concat_str(pl.lit("viability assessment "), "ssd_id")
    return Columns(rows, ref, to, people=lambda: person_ids(window), ended="died")


INDICATOR = register(
    Indicator(
        id="viability_10wd",
        title="Viability assessments completed within 10 working days",
        measures="Viability assessments completed within 10 working days of the request",
        basis="Local: no national timescale; the local authority's default is 10 working days",
        timescale_key=KEY,
        target=DEFAULT_TARGET,
        tables=("assure_viability_assessments",),
        compute=compute,
    )
)
