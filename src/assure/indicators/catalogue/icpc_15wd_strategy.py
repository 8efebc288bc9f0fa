"""ICPC within 15 working days of the strategy discussion (Working Together basis).

One obligation for each section 47 enquiry that has a strategy discussion: the earliest
discussion linked to the enquiry starts the clock; the enquiry's first initial conference held
(not a transfer-in conference) meets it. Enquiries linked to a transfer-in conference are left
out. An enquiry that ends with no further action, or a child who dies, before the due date and
without a conference makes the obligation void.
"""

import polars as pl

from assure.casedata.models import InitialConference, S47Enquiry, StrategyDiscussion
from assure.indicators.engine import DEFAULT_TARGET, Columns, Indicator, Window, register
from assure.indicators.obligations import (
    cached,
    deaths_frame,
    due_column,
    judged,
    person_ids,
    table,
)

KEY = "icpc_wd"


def _enquiries_and_conferences(window: Window) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Enquiries started by `to`; each one's first ICPC held (not transfer-in) by `to`; and the
    enquiries linked to a transfer-in conference. Shared by both ICPC indicators."""
    to = window.end
    enquiries = (
        table(window, S47Enquiry, "id", "ssd_id", "person_id", "start_date", "end_date", "nfa")
        .filter(pl.col("start_date") <= to)
        .select(
            pk="id",
            ssd_id="ssd_id",
            person_pk="person_id",
            start="start_date",
            end="end_date",
            nfa="nfa",
        )
    )
    date_ = pl.col("date")
    conferences = (
        table(window, InitialConference, "s47_id", "date", "transfer_in")
        .filter(pl.col("s47_id").is_not_null() & (date_.is_null() | (date_ <= to)))
        .select(pk="s47_id", date="date", transfer_in="transfer_in")
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
    to = window.end
    enquiries, held, transfer_in = cached(
        ("icpc", window.partnership_id, to), lambda: _enquiries_and_conferences(window)
    )
    rows = enquiries.join(transfer_in, on="pk", how="anti")
    if from_strategy:
        strategy = (
            table(window, StrategyDiscussion, "s47_id", "date")
            .filter(pl.col("s47_id").is_not_null() & (pl.col("date") <= to))
            .group_by(pk="s47_id")
            .agg(clock=pl.col("date").min())
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
    return Columns(rows, ref, to, people=lambda: person_ids(window), ended="ended")


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
