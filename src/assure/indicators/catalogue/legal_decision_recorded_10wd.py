"""Legal planning decisions recorded on the child's file within 10 working days (local).

Each decision, whether a meeting was held or declined, is due to be recorded 10 working days
after its decision date. A declined request with no decision date is taken as decided on the
day it was requested (declining is the decision); a meeting with no decision date has not
decided yet and creates no obligation. A record is needed whatever happens next: never void.
"""

import polars as pl

from assure.casedata.models import LegalPlanning
from assure.indicators.engine import DEFAULT_TARGET, Columns, Indicator, Window, register
from assure.indicators.obligations import (
    due_column,
    judged,
    person_ids,
    table,
)

KEY = "legal_decision_record_wd"


def compute(window: Window) -> Columns:
    to = window.end
    rows = (
        table(
            window,
            LegalPlanning,
            "ssd_id",
            "route",
            "person_id",
            "requested_date",
            "decision_date",
            "recorded_date",
        )
        .filter(pl.col("requested_date") <= to)
        .select(
            "ssd_id",
            "route",
            person_pk="person_id",
            requested="requested_date",
            decision="decision_date",
            done="recorded_date",
        )
    )
    declined = (pl.col("route") == LegalPlanning.Route.DECLINED.value).fill_null(False)
    decision = (
        pl.when(pl.col("decision").is_null() & declined)
        .then(pl.col("requested"))
        .otherwise(pl.col("decision"))
    )
    rows = rows.with_columns(decision=decision).filter(pl.col("decision") <= to)
    rows = (
        rows.with_columns(due=due_column(KEY, rows["decision"]))
        .filter(pl.col("due") >= window.start)
        .with_columns(status=judged(to))
    )
    ref = pl.concat_str(pl.lit("legal planning "), "ssd_id")
    return Columns(rows, ref, to, people=lambda: person_ids(window))


INDICATOR = register(
    Indicator(
        id="legal_decision_recorded_10wd",
        title="Legal planning decisions recorded within 10 working days",
        measures=(
            "Legal planning decisions (meeting held or declined) recorded on the child's file "
            "within 10 working days (two weeks)"
        ),
        basis="Local default: legal gateway decisions recorded within two weeks",
        timescale_key=KEY,
        target=DEFAULT_TARGET,
        tables=("assure_legal_planning",),
        compute=compute,
    )
)
