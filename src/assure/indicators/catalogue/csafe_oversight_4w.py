"""A manager's oversight recorded on each CSAFE case at least every 4 weeks (local default).

A chain per `CSAFE` flag started on or before `to` (docs/domain.md section 9): it starts at the
flag's start; each next oversight recorded on that child's file (`assure_case_oversight`) dated
after the previous event is due 28 days after it, and the chain stops at the first one not
recorded by `to`. Oversight dated on or before the flag's start, or after `to`, does not count.
A link falling due after the flag ended (or the child died), and not done while it was open,
is void, and the chain ends there.
"""

import polars as pl

from assure.casedata.models import CaseFlag, CaseOversight
from assure.indicators.engine import DEFAULT_TARGET, Columns, Indicator, Window, register
from assure.indicators.obligations import (
    deaths_frame,
    due_column,
    iso,
    judged,
    links,
    person_ids,
    table,
)

KEY = "csafe_oversight_days"
CODE = "CSAFE"


def compute(window: Window) -> Columns:
    to = window.end
    end = pl.col("end_date")
    flags = (
        table(window, CaseFlag, "id", "ssd_id", "person_id", "code", "start_date", "end_date")
        .filter(pl.col("code").str.to_uppercase() == CODE, pl.col("start_date") <= to)
        .select(
            "ssd_id",
            plan="id",
            person_pk="person_id",
            start="start_date",
            end=pl.when(end <= to).then(end),
        )
        .join(deaths_frame(window), on="person_pk", how="left")
        .with_columns(ended=pl.min_horizontal("end", "died"))
    )
    oversight = (
        table(window, CaseOversight, "person_id", "date")
        .filter(pl.col("date") <= to)
        .rename({"person_id": "person_pk"})
    )
    sessions = (
        flags.select("plan", "person_pk", "start")
        .join(oversight, on="person_pk")
        .filter(pl.col("date") > pl.col("start"))
        .select("plan", "date")
    )
    events = pl.concat([flags.select("plan", date="start"), sessions]).join(
        flags.select("plan", "ssd_id", "person_pk", "ended"), on="plan"
    )
    chained = links(events)
    chained = chained.with_columns(due=due_column(KEY, chained["previous"])).filter(
        pl.col("due") >= window.start
    )
    # A flag is open on its end date: a link due after it, not done by then, is void.
    ended, done = pl.col("ended"), pl.col("done")
    void = (ended < pl.col("due")) & (done.is_null() | (done > ended) | (done > to))
    chained = chained.with_columns(
        status=pl.when(void.fill_null(False)).then(pl.lit("void")).otherwise(judged(to))
    )
    ref = pl.concat_str(
        pl.lit("CSAFE flag "), "ssd_id", pl.lit(" oversight after "), iso("previous")
    )
    return Columns(chained, ref, to, people=lambda: person_ids(window), ended="ended")


INDICATOR = register(
    Indicator(
        id="csafe_oversight_4w",
        title="CSAFE cases with management oversight every 4 weeks",
        measures=(
            "Management oversight recorded on the file of each child with a CSAFE flag within "
            "28 days of the flag's start or of the previous oversight"
        ),
        basis="Local default: a manager's oversight of a CSAFE case at least every 4 weeks",
        timescale_key=KEY,
        target=DEFAULT_TARGET,
        tables=("assure_case_flags", "assure_case_oversight"),
        compute=compute,
    )
)
