"""ICPC within 15 working days of the strategy discussion (Working Together basis).

One obligation for each section 47 enquiry that has a strategy discussion: the earliest
discussion linked to the enquiry starts the clock; the enquiry's first initial conference held
(not a transfer-in conference) meets it. Enquiries linked to a transfer-in conference are left
out. An enquiry that ends with no further action, or a child who dies, before the due date and
without a conference makes the obligation void.
"""

from datetime import date

import polars as pl
from django.db.models import CharField, Min, Q
from django.db.models.functions import Cast

from assure.casedata.models import InitialConference, S47Enquiry, StrategyDiscussion
from assure.indicators.engine import DEFAULT_TARGET, Columns, Indicator, Window, register
from assure.indicators.obligations import (
    cached,
    day,
    deaths_frame,
    due_column,
    flag,
    frame,
    judged,
    person_ids,
    rows_of,
)

KEY = "icpc_wd"


def _enquiries_and_conferences(
    partnership: int, to: date
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Enquiries started by `to`; each one's first ICPC held (not transfer-in) by `to`; and the
    enquiries linked to a transfer-in conference. Shared by both ICPC indicators."""
    enquiries = frame(
        rows_of(S47Enquiry, partnership)
        .filter(start_date__lte=to)
        .values_list("pk", "ssd_id", "person_id", day("start_date"), day("end_date"), flag("nfa")),
        {
            "pk": pl.Int64,
            "ssd_id": pl.String,
            "person_pk": pl.Int64,
            "start": pl.Date,
            "end": pl.Date,
            "nfa": pl.Boolean,
        },
    )
    conferences = frame(
        rows_of(InitialConference, partnership)
        .filter(Q(date__isnull=True) | Q(date__lte=to), s47__isnull=False)
        .values_list("s47_id", day("date"), flag("transfer_in")),
        {"pk": pl.Int64, "date": pl.Date, "transfer_in": pl.Boolean},
    )
    transfer = pl.col("transfer_in").fill_null(False)
    held = (
        conferences.filter(~transfer & pl.col("date").is_not_null())
        .group_by("pk")
        .agg(done=pl.col("date").min())
    )
    transfer_in = conferences.filter(transfer).select("pk").unique()
    return enquiries, held, transfer_in


def icpc_obligations(window: Window, from_strategy: bool) -> Columns:
    """ICPC obligations, clocked from the earliest strategy discussion or from the s47 start."""
    partnership, to = window.partnership_id, window.end
    enquiries, held, transfer_in = cached(
        ("icpc", partnership, to), lambda: _enquiries_and_conferences(partnership, to)
    )
    rows = enquiries.join(transfer_in, on="pk", how="anti")
    if from_strategy:
        strategy = frame(
            rows_of(StrategyDiscussion, partnership)
            .filter(s47__isnull=False, date__lte=to)
            .order_by()
            .values("s47_id")
            .annotate(first=Cast(Min("date"), output_field=CharField()))
            .values_list("s47_id", "first"),
            {"pk": pl.Int64, "clock": pl.Date},
        )
        rows = rows.join(strategy, on="pk")
    else:
        rows = rows.with_columns(clock=pl.col("start"))
    rows = (
        rows.with_columns(due=due_column(KEY, rows["clock"]))
        .filter(pl.col("due") >= window.start)
        .join(held, on="pk", how="left")
        .join(deaths_frame(window), on="person_pk", how="left")
        .with_columns(
            ended=pl.min_horizontal(
                pl.when(pl.col("nfa").fill_null(False)).then(pl.col("end")), "died"
            )
        )
        .with_columns(status=judged(to, ended="ended"))
    )
    ref = pl.concat_str(pl.lit("s47 "), "ssd_id", pl.lit(" ICPC"))
    return Columns(rows, ref, to, people=lambda: person_ids(window))


def compute(window: Window) -> Columns:
    return icpc_obligations(window, from_strategy=True)


INDICATOR = register(
    Indicator(
        id="icpc_15wd_strategy",
        title="Initial conferences within 15 working days of the strategy discussion",
        measures=(
            "Section 47 enquiries with a strategy discussion whose initial child protection "
            "conference was held within 15 working days of the earliest strategy discussion"
        ),
        basis="Statutory: Working Together to Safeguard Children (from the strategy discussion)",
        timescale_key=KEY,
        target=DEFAULT_TARGET,
        tables=("ssd_s47_enquiry", "assure_strategy_discussions", "ssd_initial_cp_conference"),
        compute=compute,
    )
)
