"""Completed viability assessments quality-assured within 5 working days (local default).

Each assessment completed creates the obligation, due 5 working days after completion; its QA
date meets it. Never void: a completed assessment always needs its quality assurance.
"""

import polars as pl

from assure.casedata.models import ViabilityAssessment
from assure.indicators.engine import DEFAULT_TARGET, Columns, Indicator, Window, register
from assure.indicators.obligations import dated_obligations, judged, person_ids

KEY = "viability_qa_wd"


def compute(window: Window) -> Columns:
    to = window.end
    rows = dated_obligations(
        window, ViabilityAssessment, KEY, "completed_date", "qa_date"
    ).with_columns(status=judged(to))
    ref = pl.concat_str(pl.lit("viability assessment "), "ssd_id", pl.lit(" QA"))
    return Columns(rows, ref, to, people=lambda: person_ids(window))


INDICATOR = register(
    Indicator(
        id="viability_qa_5wd",
        title="Viability assessments quality-assured within 5 working days",
        measures="Completed viability assessments quality-assured within 5 working days",
        basis="Local default: viability assessment QA within 5 working days of completion",
        timescale_key=KEY,
        target=DEFAULT_TARGET,
        tables=("assure_viability_assessments",),
        compute=compute,
    )
)
