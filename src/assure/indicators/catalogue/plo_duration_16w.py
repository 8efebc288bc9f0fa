"""Pre-proceedings concluded within 16 weeks of the decision to enter them (PLO guidance).

Each episode is due to conclude (step down or issue of proceedings) 16 weeks after the decision
date; an episode still open past that at `to` is overdue. The child dying before it falls due
makes it void.
"""

import polars as pl

from assure.casedata.models import PreProceedings
from assure.indicators.engine import DEFAULT_TARGET, Columns, Indicator, Window, register
from assure.indicators.obligations import dated_obligations, deaths_frame, judged, person_ids

KEY = "plo_duration_weeks"


def compute(window: Window) -> Columns:
    to = window.end
    rows = (
        dated_obligations(window, PreProceedings, KEY, "decision_date", "stepdown_issue_date")
        .join(deaths_frame(window), on="person_pk", how="left")
        .with_columns(status=judged(to, ended="died"))
    )
    ref = pl.concat_str(pl.lit("pre-proceedings "), "ssd_id")
    return Columns(rows, ref, to, people=lambda: person_ids(window), ended="died")


INDICATOR = register(
    Indicator(
        id="plo_duration_16w",
        title="Pre-proceedings concluded within 16 weeks",
        measures=(
            "Pre-proceedings episodes concluded (step down or issue) within 16 weeks of the "
            "decision to enter pre-proceedings"
        ),
        basis="Public Law Outline guidance: pre-proceedings concluded in about 16 weeks",
        timescale_key=KEY,
        target=DEFAULT_TARGET,
        tables=("ssd_pre_proceedings",),
        compute=compute,
    )
)
