"""The whole-column helpers the catalogue shares: chains' order, due dates, and reading the
tables once."""

from datetime import date

import polars as pl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assure.indicators.engine import compute_all
from assure.indicators.obligations import day_of, due_column, links, plan_day
from assure.indicators.tests.builders import Case

D = date.fromisoformat


def events(rows: list[tuple[int | None, str | None]]) -> pl.DataFrame:
    return pl.DataFrame(
        [(plan, D(day) if day else None) for plan, day in rows],
        schema={"plan": pl.Int64, "date": pl.Date},
        orient="row",
    ).with_columns(ended=pl.lit(None, dtype=pl.Date))


@pytest.mark.parametrize("big", [0, 2**40], ids=["small ids", "ids beyond 31 bits"])
def test_links_follow_each_plan_by_date(big):
    # Plans 7 and 3 (or 2**40 + 7, 2**40 + 3, and -1), events out of order, one repeated.
    seven, three, negative = big + 7, big + 3, -1 if big else 1
    chained = links(
        events(
            [
                (seven, "2026-03-02"),
                (three, "2026-05-01"),
                (seven, "2026-01-05"),
                (negative, "2026-02-01"),
                (three, "2026-04-01"),
                (seven, "2026-03-02"),  # the same meeting twice: counted once
            ]
        )
    )
    assert chained.select("plan", "previous", "done", "number").rows() == [
        (negative, D("2026-02-01"), None, 1),
        (three, D("2026-04-01"), D("2026-05-01"), 1),
        (three, D("2026-05-01"), None, 2),
        (seven, D("2026-01-05"), D("2026-03-02"), 1),
        (seven, D("2026-03-02"), None, 2),
    ]


def test_plan_day_orders_by_plan_then_day_and_gives_the_day_back():
    plans = pl.Series("plan", [2**40, 5, None, -3])
    frame = pl.DataFrame(
        {"plan": plans, "date": [D("2026-01-01"), None, D("1990-06-30"), D("2030-12-31")]}
    )
    keyed = frame.with_columns(key=plan_day(plans, pl.col("date"))).sort("key")
    # Nulls first, as sort("plan", "date") would, then -3, 5 and 2**40.
    assert keyed["plan"].to_list() == [None, -3, 5, 2**40]
    assert keyed.select(day_of(pl.col("key"))).to_series().to_list() == [
        D("1990-06-30"),
        D("2030-12-31"),
        None,
        D("2026-01-01"),
    ]
    # Keys made for another frame with the same plans compare with these.
    other = pl.DataFrame({"plan": [5], "date": [D("2026-02-01")]})
    key = other.select(plan_day(plans, pl.col("date"))).item()
    assert keyed["key"].search_sorted(key) == 3


def test_due_column_for_close_and_scattered_dates():
    # 10 working days (statutory visits): from Fri 18 Dec 2026 the days off are Fri 25 Dec,
    # Mon 28 Dec (Boxing Day's substitute) and Fri 1 Jan 2027: 21-24, 29-31 Dec and 4-6 Jan,
    # due Wed 6 Jan 2027. From Sat 19 Dec the count starts from Fri 18 Dec: the same day.
    close = pl.Series("previous", [D("2026-12-18"), None, D("2026-12-19"), D("2026-12-18")])
    due = due_column("cp_visit_wd", close)
    assert due.name == "previous"
    assert due.to_list() == [D("2027-01-06"), None, D("2027-01-06"), D("2027-01-06")]
    # Dates years apart are each worked out on their own: Mon 3 Jan 2000 + 10 = Mon 17 Jan.
    scattered = pl.Series("previous", [D("2026-12-18"), D("2000-01-03")])
    assert due_column("cp_visit_wd", scattered).to_list() == [D("2027-01-06"), D("2000-01-17")]
    assert due_column("cp_visit_wd", pl.Series("previous", [None], dtype=pl.Date)).to_list() == [
        None
    ]


def test_the_catalogue_reads_its_stored_tables_in_one_query(partnership):
    case = Case()
    case.plan("CPP1", "P1", "2026-09-01")
    case.involvement("I1", "P1", "W1", "T1", "2026-09-01")
    case.supervision("S1", "W1", "2026-09-20")
    case.load(partnership)
    compute_all(partnership.pk, D("2026-09-01"), D("2026-11-30"))  # builds the stored columns
    with CaptureQueriesContext(connection) as queries:
        results = compute_all(partnership.pk, D("2026-09-01"), D("2026-11-30"))
    # The current snapshot, then every table's columns at once.
    assert len(queries) == 2
    assert {r.indicator.id: r.met for r in results}["supervision_4w"] == 1
