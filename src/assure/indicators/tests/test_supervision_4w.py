"""supervision_4w: formal supervision of each allocated professional at most 28 days apart."""

from datetime import date

import polars as pl

from assure.indicators.engine import REGISTRY
from assure.indicators.selectors import allocated
from assure.indicators.tests.builders import Case, run, statuses

WINDOW = ("2026-09-01", "2026-11-30")  # `to` is Mon 30 Nov 2026


def test_supervision_chains(partnership):
    case = Case()
    case.team("T1", "Team One")
    # W1: allocated from Mon 3 Aug 2026 (open). Link 1 due 31 Aug (before the window), done
    # 28 Aug. Then due 25 Sep, done that day: met; due 23 Oct, done 30 Oct: late; due 27 Nov:
    # only reflective and group sessions, and a formal one on 3 Dec after `to`: overdue.
    case.professional("W1", "Ada Worker", team="T1")
    case.involvement("I1", "P1", "W1", "T1", "2026-08-03")
    case.supervision("S1", "W1", "2026-08-28")
    case.supervision("S2", "W1", "2026-09-25")
    case.supervision("S3", "W1", "2026-10-30")
    case.supervision("S4", "W1", "2026-11-20", kind="reflective")
    case.supervision("S5", "W1", "2026-11-25", kind="group")
    case.supervision("S6", "W1", "2026-12-03")
    # W2: allocated 1 Jul to 20 Sep 2026 only. 20 Jul, 14 Aug, 10 Sep: the link due 11 Sep is
    # met; the next is due 8 Oct, when no allocation is open: void, and the chain ends there
    # (no link after the 10 Oct session).
    case.involvement("I2", "P2", "W2", "T1", "2026-07-01", end="2026-09-20")
    case.supervision("S7", "W2", "2026-07-20")
    case.supervision("S8", "W2", "2026-08-14")
    case.supervision("S9", "W2", "2026-09-10")
    case.supervision("S10", "W2", "2026-10-10")
    # W3: allocated from Mon 7 Sep 2026. A session on the start day does not count; 5 Oct
    # meets the link due 5 Oct; the next, due 2 Nov, is overdue.
    case.involvement("I3", "P3", "W3", "T1", "2026-09-07")
    case.supervision("S11", "W3", "2026-09-07")
    case.supervision("S12", "W3", "2026-10-05")
    # W4: allocated 2 Nov to 10 Dec 2026: that end is after `to`, not known yet, so the link due
    # 14 Dec is upcoming, not void.
    case.involvement("I4", "P4", "W4", "T1", "2026-11-02", end="2026-12-10")
    case.supervision("S13", "W4", "2026-11-16")
    # W5 has supervision but no allocation; W6's allocation starts after `to`.
    case.supervision("S14", "W5", "2026-10-01")
    case.involvement("I6", "P6", "W6", "T1", "2026-12-01")
    case.load(partnership)

    result = run("supervision_4w", partnership, *WINDOW)
    assert statuses(result) == {
        "worker W1 supervision after 2026-08-28": ("2026-09-25", "2026-09-25", "met"),
        "worker W1 supervision after 2026-09-25": ("2026-10-23", "2026-10-30", "late"),
        "worker W1 supervision after 2026-10-30": ("2026-11-27", None, "overdue"),
        "worker W2 supervision after 2026-08-14": ("2026-09-11", "2026-09-10", "met"),
        "worker W2 supervision after 2026-09-10": ("2026-10-08", "2026-10-10", "void"),
        "worker W3 supervision after 2026-09-07": ("2026-10-05", "2026-10-05", "met"),
        "worker W3 supervision after 2026-10-05": ("2026-11-02", None, "overdue"),
        "worker W4 supervision after 2026-11-02": ("2026-11-30", "2026-11-16", "met"),
        "worker W4 supervision after 2026-11-16": ("2026-12-14", None, "upcoming"),
    }
    assert {o.person_id for o in result.obligations} == {"W1", "W2", "W3", "W4"}
    assert (result.met, result.late, result.overdue, result.void) == (4, 1, 2, 1)


def test_a_gap_between_allocations_voids_and_ends_the_chain(partnership):
    case = Case()
    # Allocated 1 Sep to 10 Sep, then again from 1 Oct. Due 29 Sep falls in the gap: void, and
    # the chain ends there although the worker is allocated again.
    case.involvement("I1", "P1", "W1", "T1", "2026-09-01", end="2026-09-10")
    case.involvement("I2", "P2", "W1", "T1", "2026-10-01")
    case.load(partnership)

    result = run("supervision_4w", partnership, *WINDOW)
    assert statuses(result) == {
        "worker W1 supervision after 2026-09-01": ("2026-09-29", None, "void"),
    }


def test_overlapping_allocations_cover_the_due_date(partnership):
    case = Case()
    # 1 Sep to 20 Sep and 15 Sep to 5 Oct together cover 29 Sep: not void but overdue.
    case.involvement("I1", "P1", "W1", "T1", "2026-09-01", end="2026-09-20")
    case.involvement("I2", "P2", "W1", "T1", "2026-09-15", end="2026-10-05")
    case.load(partnership)

    result = run("supervision_4w", partnership, *WINDOW)
    assert statuses(result) == {
        "worker W1 supervision after 2026-09-01": ("2026-09-29", None, "overdue"),
    }


def test_no_data_without_the_supervision_table(partnership):
    case = Case()
    case.involvement("I1", "P1", "W1", "T1", "2026-09-01")
    case.load(partnership, missing=("assure_supervision",))
    assert not run("supervision_4w", partnership, *WINDOW).has_data


def test_breakdown_is_by_the_workers_own_team_and_name(partnership):
    case = Case()
    case.team("T1", "Team One")
    case.professional("W1", "Ada Worker", team="T1")
    case.professional("W2", "Bo Worker", team="Unlisted team")
    case.involvement("I1", "P1", "W1", "T9", "2026-09-01")
    case.involvement("I2", "P2", "W2", "T9", "2026-09-01")
    case.load(partnership)

    result = run("supervision_4w", partnership, *WINDOW)
    rows = allocated(
        partnership.pk, result.listing(), date(2026, 11, 30), REGISTRY["supervision_4w"]
    )
    assert sorted(rows.select("person_id", "team", "worker").unique().iter_rows()) == [
        ("W1", "Team One", "Ada Worker"),
        ("W2", "Unlisted team", "Bo Worker"),
    ]
    assert rows.filter(pl.col("status") == "overdue").height == 2
