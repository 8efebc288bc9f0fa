"""Due dates from phrases and table cells."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from assure.reviewdocs.dates import add_months, cell_date, document_date, due_date

PUBLISHED = date(2021, 3, 12)


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("to be delivered by June 2026", date(2026, 6, 30)),
        ("progress will be reported in December 2020", date(2020, 12, 31)),
        ("due Feb 2024", date(2024, 2, 29)),
        ("by the end of Sept 2022", date(2022, 9, 30)),
        ("audit planned for autumn 2020", date(2020, 11, 30)),
        ("launch in spring 2021", date(2021, 5, 31)),
        ("review in summer 2021", date(2021, 8, 31)),
        ("complete by winter 2021", date(2022, 2, 28)),
        ("by the end of 2021", date(2021, 12, 31)),
        ("by Q3 2022", date(2022, 9, 30)),
        ("by 3 April 2021", date(2021, 4, 3)),
        ("by 3rd April 2021", date(2021, 4, 3)),
        ("by April 3, 2021", date(2021, 4, 3)),
        ("by 03/04/2021", date(2021, 4, 3)),
        ("by 2021-04-03", date(2021, 4, 3)),
        ("no date here", None),
        ("children may feature", None),
    ],
)
def test_absolute_phrases(phrase: str, expected: date | None) -> None:
    assert due_date(phrase) == expected


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("will be undertaken within the next 4 months", date(2021, 7, 12)),
        ("within three months", date(2021, 6, 12)),
        ("within a year", date(2022, 3, 12)),
        ("within 6 weeks", date(2021, 4, 23)),
        ("in the next 10 days", date(2021, 3, 22)),
        ("by the end of the year", date(2021, 12, 31)),
    ],
)
def test_relative_phrases_count_from_document_date(phrase: str, expected: date) -> None:
    assert due_date(phrase, PUBLISHED) == expected


def test_relative_phrase_without_document_date_has_no_due_date() -> None:
    assert due_date("within the next 4 months") is None


def test_standing_timescale_is_not_a_due_date() -> None:
    assert due_date("recorded within two weeks of the meetings occurring", PUBLISHED) is None


def test_month_arithmetic_clamps_to_month_end() -> None:
    assert add_months(date(2021, 1, 31), 1) == date(2021, 2, 28)
    assert add_months(date(2020, 1, 31), 1) == date(2020, 2, 29)
    assert add_months(date(2021, 11, 30), 3) == date(2022, 2, 28)
    assert due_date("within one month", date(2021, 1, 31)) == date(2021, 2, 28)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("03/04/2021", date(2021, 4, 3)),
        ("3/4/21", date(2021, 4, 3)),
        ("2021-04-03", date(2021, 4, 3)),
        ("3 April 2021", date(2021, 4, 3)),
        ("June 2026", date(2026, 6, 30)),
        (datetime(2021, 4, 3, 0, 0), date(2021, 4, 3)),
        (date(2021, 4, 3), date(2021, 4, 3)),
        (None, None),
        ("", None),
    ],
)
def test_cell_dates_are_day_first(value: object, expected: date | None) -> None:
    assert cell_date(value) == expected


@pytest.mark.parametrize("value", ["soon", "31/02/2021", "TBC"])
def test_bad_cell_dates_raise(value: str) -> None:
    with pytest.raises(ValueError, match=value):
        cell_date(value)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Published: 12 March 2021", date(2021, 3, 12)),
        ("Date: 01/02/2022", date(2022, 2, 1)),
        ("Dated 5 May 2020", date(2020, 5, 5)),
        ("Publication date - March 2021", date(2021, 3, 1)),
        ("The review was published widely", None),
    ],
)
def test_document_date(line: str, expected: date | None) -> None:
    assert document_date([line]) == expected


@pytest.mark.parametrize(
    "phrase",
    [
        "by December 0000",
        "in winter 9999",
        "by spring 0000",
        "by the end of 0000",
        "by Q1 0000",
        "by 31 December 0000",
        "by December 31, 0000",
        "by 0000-01-01",
        "by 01/01/0000",
    ],
)
def test_dates_that_cannot_exist_are_not_due_dates(phrase: str) -> None:
    assert due_date(phrase) is None


def test_last_possible_dates_are_kept() -> None:
    assert due_date("by December 9999") == date(9999, 12, 31)
    assert due_date("by autumn 9999") == date(9999, 11, 30)
    assert due_date("by Q4 9999") == date(9999, 12, 31)
    assert due_date("by the end of 9999") == date(9999, 12, 31)


def test_an_impossible_date_does_not_hide_a_real_one() -> None:
    assert due_date("by December 0000, or failing that June 2026") == date(2026, 6, 30)


@pytest.mark.parametrize(
    ("phrase", "published"),
    [
        ("within 3 months", date(9999, 12, 1)),
        ("within two years", date(9999, 1, 1)),
        ("within 6 weeks", date(9999, 12, 1)),
        ("in the next 10 days", date(9999, 12, 31)),
    ],
)
def test_relative_dates_past_year_9999_are_not_due_dates(phrase: str, published: date) -> None:
    assert due_date(phrase, published) is None


def test_month_arithmetic_outside_the_calendar_gives_none() -> None:
    assert add_months(date(9999, 12, 1), 1) is None
    assert add_months(date(1, 1, 1), -1) is None
    assert add_months(date(9999, 11, 30), 1) == date(9999, 12, 30)


@pytest.mark.parametrize("line", ["Date: December 0000", "Published: 0000-01-01"])
def test_impossible_document_date_is_not_the_document_date(line: str) -> None:
    assert document_date([line]) is None


def test_impossible_cell_date_is_not_understood() -> None:
    with pytest.raises(ValueError, match="December 0000"):
        cell_date("December 0000")
