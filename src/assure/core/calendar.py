"""Date arithmetic for timescales: the one place that knows about working days and months.

Working days are Monday to Friday excluding bank holidays in England and Wales, including
substitute ("observed") days and one-off holidays (domain.md section 2). Holidays come from the
``holidays`` package, which computes them offline from its own rules and data.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
from bisect import bisect_left
from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache
from types import MappingProxyType
from typing import cast

import polars as pl

__all__ = [
    "add_months",
    "add_weeks",
    "add_working_days",
    "add_working_days_column",
    "bank_holidays",
    "due_after_working_days_map",
    "end_of_month",
    "is_working_day",
    "working_day_table",
    "working_days_between",
]

_ONE_DAY = timedelta(days=1)


@lru_cache(maxsize=256)
def _holidays_for_year(year: int) -> MappingProxyType[date, str]:
    """Bank holidays in England and Wales for one year, read-only and cached."""
    import holidays  # here: most processes never count a working day (~25 ms to import)

    found = holidays.country_holidays("GB", subdiv="ENG", years=year, observed=True)
    return MappingProxyType({d: found[d] for d in sorted(found) if d.year == year})


@lru_cache(maxsize=256)
def _weekday_holidays(year: int) -> tuple[date, ...]:
    """Sorted bank holidays of a year that fall Monday to Friday (days actually lost)."""
    return tuple(d for d in _holidays_for_year(year) if d.weekday() < 5)


def bank_holidays(year: int) -> dict[date, str]:
    """Bank holidays (England and Wales, substitute days included) in a year, by date."""
    return dict(_holidays_for_year(year))


def is_working_day(d: date) -> bool:
    """True if d is Monday to Friday and not a bank holiday in England and Wales."""
    return d.weekday() < 5 and d not in _holidays_for_year(d.year)


def _weekdays_to(d: date) -> int:
    """Number of Mondays to Fridays from 1 Jan year 1 (a Monday) up to and including d."""
    weeks, rest = divmod(d.toordinal(), 7)
    return weeks * 5 + min(rest, 5)


def _holidays_in(start: date, end: date) -> int:
    """Number of weekday bank holidays h with start < h <= end."""
    return sum(
        1
        for year in range(start.year, end.year + 1)
        for h in _weekday_holidays(year)
        if start < h <= end
    )


def add_working_days(d: date, n: int) -> date:
    """The nth working day after d (day 1 is the first working day after d); d if n == 0."""
    if n < 0:
        raise ValueError(f"n must be 0 or more, got {n}")
    while n:
        d += _ONE_DAY
        n -= is_working_day(d)
    return d


def add_working_days_column(dates: pl.Series, n: int) -> pl.Series:
    """add_working_days(d, n) for every date of a polars column at once (nulls stay null).

    The nth working day after d is the nth after the last working day on or before d, which
    is polars' business-day arithmetic rolling backward over weekends and bank holidays.
    """
    if n < 0:
        raise ValueError(f"n must be 0 or more, got {n}")
    present = dates.drop_nulls()
    if n == 0 or present.is_empty():
        return dates
    first, last = cast("date", present.min()), cast("date", present.max())
    years = range(first.year - 1, last.year + 2 + n // 200)
    closed = [h for year in years for h in _weekday_holidays(year)]
    return dates.dt.add_business_days(n, holidays=closed, roll="backward")


def working_days_between(start: date, end: date) -> int:
    """Number of working days w with start < w <= end (0 if end <= start).

    So add_working_days(start, working_days_between(start, end)) is the last working day on or
    before end (or start itself when there is none), and never later than end.
    """
    if end <= start:
        return 0
    return _weekdays_to(end) - _weekdays_to(start) - _holidays_in(start, end)


def add_weeks(d: date, n: int) -> date:
    """d plus 7n days."""
    return d + timedelta(weeks=n)


def end_of_month(year: int, month: int) -> date:
    """The last day of the given month."""
    return date(year, month, _stdlib_calendar.monthrange(year, month)[1])


def add_months(d: date, n: int) -> date:
    """Same day-of-month n months later, clamped to that month's last day (n may be negative)."""
    year, month0 = divmod(d.year * 12 + d.month - 1 + n, 12)
    last = end_of_month(year, month0 + 1)
    return last if d.day > last.day else last.replace(day=d.day)


def working_day_table(start: date, end: date) -> list[tuple[date, int]]:
    """Every date in [start, end] with the count of working days from start up to and including it.

    add_working_days(d, n) is the first date whose count equals count(d) + n, so SQL can join
    on the count to compute due dates for many rows at once.
    """
    table: list[tuple[date, int]] = []
    count, d = 0, start
    while d <= end:
        count += is_working_day(d)
        table.append((d, count))
        d += _ONE_DAY
    return table


def due_after_working_days_map(dates: Iterable[date], n: int) -> dict[date, date]:
    """add_working_days(d, n) for each distinct d, computed in bulk from one working_day_table."""
    if n < 0:
        raise ValueError(f"n must be 0 or more, got {n}")
    wanted = set(dates)
    if not wanted or n == 0:
        return {d: d for d in wanted}
    first = min(wanted)
    table = working_day_table(first, add_working_days(max(wanted), n))
    counts = [count for _, count in table]
    due: dict[date, date] = {}
    for d in wanted:
        target = counts[(d - first).days] + n
        due[d] = table[bisect_left(counts, target)][0]
    return due
