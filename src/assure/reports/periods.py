"""Quarters of the calendar year, named as the board names them: "2026-Q3"."""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from assure.core.calendar import add_months, end_of_month

_NAME = re.compile(r"^(\d{4})-Q([1-4])$")


class BadPeriod(ValueError):
    """A period not written YYYY-QN."""


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> "Quarter":
        found = _NAME.match(text.strip().upper())
        if not found:
            raise BadPeriod(f"“{text}” is not a quarter: write it as YYYY-QN, for example 2026-Q3.")
        return cls(int(found.group(1)), int(found.group(2)))

    @classmethod
    def of(cls, day: date) -> "Quarter":
        return cls(day.year, (day.month - 1) // 3 + 1)

    def __str__(self) -> str:
        return f"{self.year}-Q{self.number}"

    @property
    def start(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> date:
        last = 3 * self.number
        return end_of_month(self.year, last)

    @property
    def label(self) -> str:
        """ "July to September 2026"."""
        return f"{self.start:%B} to {self.end:%B %Y}"

    def shifted(self, quarters: int) -> "Quarter":
        return Quarter.of(add_months(self.start, 3 * quarters))

    @property
    def previous(self) -> "Quarter":
        return self.shifted(-1)

    @property
    def year_earlier(self) -> "Quarter":
        return self.shifted(-4)

    def end_moment(self) -> datetime:
        """The first instant after the quarter (London time): history before it counts."""
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))


def last_ended(today: date) -> Quarter:
    """The latest quarter that has ended by `today`."""
    return Quarter.of(today).previous
