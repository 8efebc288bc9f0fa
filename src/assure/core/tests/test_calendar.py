"""Working days, months and weeks, checked against hand-worked dates (domain.md section 2)."""

from datetime import date, timedelta

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from assure.core.calendar import (
    add_months,
    add_weeks,
    add_working_days,
    add_working_days_column,
    bank_holidays,
    due_after_working_days_map,
    end_of_month,
    is_working_day,
    working_day_table,
    working_days_between,
)

HOLIDAYS_ENGLAND = [
    # Easter
    date(2025, 4, 18),
    date(2025, 4, 21),
    date(2026, 4, 3),
    date(2026, 4, 6),
    date(2027, 3, 26),
    date(2027, 3, 29),
    # Christmas, with substitutes for days falling at the weekend
    date(2025, 12, 25),
    date(2025, 12, 26),
    date(2026, 12, 25),
    date(2026, 12, 28),
    date(2027, 12, 27),
    date(2027, 12, 28),
    # New Year
    date(2026, 1, 1),
    date(2027, 1, 1),
    date(2028, 1, 3),
    # Early May and spring bank holidays, late summer
    date(2025, 5, 5),
    date(2025, 5, 26),
    date(2026, 5, 4),
    date(2026, 5, 25),
    date(2027, 5, 3),
    date(2027, 5, 31),
    date(2025, 8, 25),
    date(2026, 8, 31),
    # One-off holidays
    date(2022, 6, 3),
    date(2022, 9, 19),
    date(2023, 5, 8),
]

ORDINARY_WEEKDAYS = [
    date(2026, 1, 2),  # Scotland only (2 January)
    date(2027, 1, 4),  # Scotland: substitute for 2 January 2027 (a Saturday)
    date(2025, 11, 28),
    date(2025, 12, 1),  # Scotland: substitute for St Andrew's Day 2025 (a Sunday)
    date(2026, 11, 30),  # St Andrew's Day 2026 (Monday)
    date(2026, 8, 3),  # Scotland's summer bank holiday
    date(2026, 3, 17),  # St Patrick's Day (Northern Ireland)
    date(2026, 7, 13),  # Battle of the Boyne substitute (Northern Ireland)
    date(2025, 12, 24),
    date(2025, 12, 29),
    date(2026, 12, 29),
    date(2027, 12, 29),
    date(2026, 4, 7),
]


@pytest.mark.parametrize("day", HOLIDAYS_ENGLAND, ids=str)
def test_bank_holidays_in_england_are_not_working_days(day: date) -> None:
    assert day.weekday() < 5
    assert not is_working_day(day)
    assert day in bank_holidays(day.year)


@pytest.mark.parametrize("day", ORDINARY_WEEKDAYS, ids=str)
def test_other_weekdays_are_working_days(day: date) -> None:
    assert is_working_day(day)
    assert day not in bank_holidays(day.year)


def test_weekends_are_not_working_days() -> None:
    assert not is_working_day(date(2025, 12, 20))  # Saturday
    assert not is_working_day(date(2025, 12, 21))  # Sunday
    assert is_working_day(date(2025, 12, 22))  # Monday


def test_bank_holidays_names_substitute_days() -> None:
    days = bank_holidays(2026)
    assert "Boxing Day" in days[date(2026, 12, 28)]
    assert len([d for d in days if d.weekday() < 5]) == 8
    assert date(2026, 1, 2) not in days


def test_bank_holidays_returns_a_copy() -> None:
    bank_holidays(2026).clear()
    assert bank_holidays(2026)


def test_domain_worked_example() -> None:
    # 25, 26 Dec and 1 Jan are holidays: 22 23 24 29 30 31 Dec, 2 5 6 7 Jan.
    assert add_working_days(date(2025, 12, 19), 10) == date(2026, 1, 7)


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2025, 12, 19), 1, date(2025, 12, 22)),
        (date(2025, 12, 19), 3, date(2025, 12, 24)),
        (date(2025, 12, 19), 4, date(2025, 12, 29)),
        (date(2025, 12, 20), 1, date(2025, 12, 22)),  # Saturday start: day 1 is Monday
        (date(2025, 12, 21), 5, date(2025, 12, 30)),  # Sunday start
        (date(2026, 12, 24), 1, date(2026, 12, 29)),  # skips Fri 25, weekend, Mon 28
        (date(2027, 12, 24), 1, date(2027, 12, 29)),  # skips Mon 27, Tue 28 substitutes
        (date(2027, 12, 31), 1, date(2028, 1, 4)),  # skips Mon 3 Jan substitute
        (date(2025, 4, 17), 1, date(2025, 4, 22)),  # Easter 2025
        (date(2027, 3, 25), 1, date(2027, 3, 30)),  # Easter 2027
        (date(2026, 5, 22), 1, date(2026, 5, 26)),  # spring bank holiday
        (date(2025, 4, 14), 15, date(2025, 5, 8)),  # 15 wd across Easter and early May
    ],
)
def test_add_working_days(start: date, n: int, expected: date) -> None:
    assert add_working_days(start, n) == expected


@pytest.mark.parametrize("start", [date(2025, 12, 19), date(2025, 12, 20), date(2025, 12, 25)])
def test_add_zero_working_days_is_the_same_day(start: date) -> None:
    assert add_working_days(start, 0) == start


def test_add_negative_working_days_is_refused() -> None:
    with pytest.raises(ValueError, match="0 or more"):
        add_working_days(date(2025, 1, 1), -1)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2025, 12, 19), date(2026, 1, 7), 10),
        (date(2025, 12, 19), date(2025, 12, 19), 0),
        (date(2025, 12, 19), date(2025, 12, 1), 0),
        (date(2025, 12, 19), date(2025, 12, 21), 0),  # weekend only
        (date(2025, 12, 19), date(2025, 12, 22), 1),
        (date(2025, 12, 24), date(2025, 12, 28), 0),  # Christmas and weekend
        (date(2026, 12, 24), date(2026, 12, 29), 1),
        (date(2025, 1, 1), date(2025, 12, 31), 253),  # 1 Jan excluded, but a holiday anyway
        (date(2024, 12, 31), date(2025, 12, 31), 253),  # 261 weekdays less 8 holidays
    ],
)
def test_working_days_between(start: date, end: date, expected: int) -> None:
    assert working_days_between(start, end) == expected


dates_2024_2028 = st.dates(min_value=date(2024, 1, 1), max_value=date(2028, 12, 31))


@given(dates_2024_2028, dates_2024_2028)
def test_working_days_between_round_trips(start: date, end: date) -> None:
    n = working_days_between(start, end)
    landed = add_working_days(start, n)
    assert landed <= max(start, end)
    if end > start:
        # landed is the last working day on or before end (or start, if there is none)
        assert landed == start or is_working_day(landed)
        assert all(
            not is_working_day(landed + timedelta(days=i))
            for i in range(1, (end - landed).days + 1)
        )


@given(dates_2024_2028, st.integers(min_value=0, max_value=300))
def test_add_working_days_round_trips(start: date, n: int) -> None:
    assert working_days_between(start, add_working_days(start, n)) == n


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2025, 8, 31), 6, date(2026, 2, 28)),
        (date(2023, 8, 31), 6, date(2024, 2, 29)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2025, 1, 31), 3, date(2025, 4, 30)),
        (date(2025, 3, 31), 3, date(2025, 6, 30)),
        (date(2025, 10, 15), 3, date(2026, 1, 15)),
        (date(2025, 12, 31), 2, date(2026, 2, 28)),
        (date(2025, 5, 20), 0, date(2025, 5, 20)),
        (date(2025, 5, 20), 24, date(2027, 5, 20)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 1, 15), -13, date(2024, 12, 15)),
    ],
)
def test_add_months_clamps_to_month_end(start: date, n: int, expected: date) -> None:
    assert add_months(start, n) == expected


def test_add_weeks() -> None:
    assert add_weeks(date(2025, 12, 19), 16) == date(2026, 4, 10)
    assert add_weeks(date(2025, 12, 19), 0) == date(2025, 12, 19)


@pytest.mark.parametrize(
    ("year", "month", "expected"),
    [(2025, 2, 28), (2024, 2, 29), (2100, 2, 28), (2000, 2, 29), (2025, 4, 30), (2025, 12, 31)],
)
def test_end_of_month(year: int, month: int, expected: int) -> None:
    assert end_of_month(year, month) == date(year, month, expected)


def test_working_day_table_counts_working_days_from_start() -> None:
    table = working_day_table(date(2025, 12, 19), date(2025, 12, 29))
    assert table == [
        (date(2025, 12, 19), 1),
        (date(2025, 12, 20), 1),
        (date(2025, 12, 21), 1),
        (date(2025, 12, 22), 2),
        (date(2025, 12, 23), 3),
        (date(2025, 12, 24), 4),
        (date(2025, 12, 25), 4),
        (date(2025, 12, 26), 4),
        (date(2025, 12, 27), 4),
        (date(2025, 12, 28), 4),
        (date(2025, 12, 29), 5),
    ]
    assert working_day_table(date(2025, 1, 2), date(2025, 1, 1)) == []


ALL_2025_2027 = [date(2025, 1, 1) + timedelta(days=i) for i in range(365 * 3)]


@pytest.mark.parametrize("n", [1, 5, 10, 15])
def test_working_day_table_agrees_with_add_working_days(n: int) -> None:
    table = working_day_table(date(2025, 1, 1), date(2028, 3, 31))
    count_of = dict(table)
    first_with: dict[int, date] = {}
    for day, count in table:
        first_with.setdefault(count, day)
    for day in ALL_2025_2027:
        assert first_with[count_of[day] + n] == add_working_days(day, n), day


@pytest.mark.parametrize("n", [0, 1, 5, 7, 10, 15])
def test_due_map_agrees_with_add_working_days(n: int) -> None:
    due = due_after_working_days_map(ALL_2025_2027, n)
    assert len(due) == len(ALL_2025_2027)
    assert all(due[day] == add_working_days(day, n) for day in ALL_2025_2027)


@pytest.mark.parametrize("n", [0, 1, 5, 7, 10, 15, 65])
def test_column_agrees_with_add_working_days(n: int) -> None:
    dates = pl.Series([*ALL_2025_2027, None], dtype=pl.Date)
    due = add_working_days_column(dates, n).to_list()
    assert due[-1] is None
    assert due[:-1] == [add_working_days(day, n) for day in ALL_2025_2027]


def test_column_hand_worked_christmas_and_easter() -> None:
    dates = pl.Series([date(2025, 12, 19), date(2026, 12, 26), date(2026, 4, 3)], dtype=pl.Date)
    # Fri 19 Dec 2025 + 10: Christmas, Boxing Day and New Year's Day are closed.
    # Sat 26 Dec 2026 + 10: Boxing Day's substitute Mon 28 Dec and New Year's Day are closed.
    # Good Friday 3 Apr 2026 + 1: Easter Monday is closed, so Tuesday 7 April.
    assert add_working_days_column(dates, 10).to_list()[:2] == [
        date(2026, 1, 7),
        date(2027, 1, 12),
    ]
    assert add_working_days_column(dates, 1).to_list()[2] == date(2026, 4, 7)


def test_due_map_handles_scattered_and_repeated_dates() -> None:
    dates = [date(2027, 12, 24), date(2025, 12, 19), date(2025, 12, 19), date(2026, 12, 26)]
    assert due_after_working_days_map(dates, 10) == {
        date(2025, 12, 19): date(2026, 1, 7),
        date(2026, 12, 26): date(2027, 1, 12),
        date(2027, 12, 24): date(2028, 1, 12),
    }
    assert due_after_working_days_map([], 10) == {}
    with pytest.raises(ValueError, match="0 or more"):
        due_after_working_days_map([date(2025, 1, 1)], -1)
