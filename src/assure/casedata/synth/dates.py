"""Date helpers for the synthetic authority (working days from `assure.core.calendar`)."""

from datetime import date, timedelta
from functools import lru_cache

from assure.core.calendar import add_working_days, is_working_day

DEFAULT_AS_OF = date(2026, 10, 31)
ONE_DAY = timedelta(days=1)


def iso(value: date | None) -> str:
    return value.isoformat() if value else ""


def yn(value: bool) -> str:
    return "Y" if value else "N"


@lru_cache(maxsize=65536)
def awd(d: date, n: int) -> date:
    """add_working_days, cached: the generator asks for the same few thousand dates many times."""
    return add_working_days(d, n)


def working_on_or_after(d: date) -> date:
    while not is_working_day(d):
        d += ONE_DAY
    return d


def working_on_or_before(d: date) -> date:
    while not is_working_day(d):
        d -= ONE_DAY
    return d
