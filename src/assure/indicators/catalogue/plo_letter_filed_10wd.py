"""Letters before proceedings filed on the child's file within 10 working days (local).

Each pre-proceedings episode with a letter creates the obligation, due 10 working days after
the letter date; the letter's filed date (from `assure_plo_filing`) meets it. Never void.
"""

import polars as pl

from assure.casedata.models import PreProceedings
from assure.indicators.engine import DEFAULT_TARGET, Columns, Indicator, Window, register
from assure.indicators.obligations import dated_obligations, judged, person_ids

KEY = "plo_letter_filed_wd"


def compute(window: Window) -> Columns:
    to = window.end
    rows = dated_obligations(
        window, PreProceedings, KEY, "letter_date", "letter_filed_date"
    ).with_columns(status=judged(to))
    ref = pl.concat_str(pl.lit("pre-proceedings "), "ssd_id", pl.lit(" letter filed"))
    return Columns(rows, ref, to, people=lambda: person_ids(window))


INDICATOR = register(
    Indicator(
        id="plo_letter_filed_10wd",
        title="Letters before proceedings filed within 10 working days",
        measures="Letters before proceedings filed on the child's file within 10 working days",
        basis="Local default: PLO letter filed on the child's file within 10 working days",
        timescale_key=KEY,
        target=DEFAULT_TARGET,
        tables=("ssd_pre_proceedings", "assure_plo_filing"),
        compute=compute,
    )
)
