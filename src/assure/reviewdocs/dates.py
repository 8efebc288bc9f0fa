"""Due dates from phrases such as "by June 2026", "autumn 2020" or "within 4 months"."""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterable
from datetime import MAXYEAR, MINYEAR, date, datetime

MONTHS: dict[str, int] = {
    name.lower(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
} | {"sept": 9}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_NUMBER_WORDS: dict[str, int] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "eighteen": 18, "twenty-four": 24, "twenty four": 24,
}  # fmt: skip
_COUNT = r"(?P<count>\d{1,3}|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + ")"
# Season -> (years to add, month whose end closes the season).
SEASONS: dict[str, tuple[int, int]] = {
    "spring": (0, 5), "summer": (0, 8), "autumn": (0, 11), "fall": (0, 11), "winter": (1, 2),
}  # fmt: skip

_I = re.IGNORECASE
_ISO = re.compile(r"\b(?P<year>\d{4})-(?P<mon>\d{1,2})-(?P<day>\d{1,2})\b")
_NUMERIC = re.compile(r"\b(?P<day>\d{1,2})[/.-](?P<mon>\d{1,2})[/.-](?P<year>\d{4}|\d{2})\b")
_DAY_MONTH_YEAR = re.compile(
    rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?\s+(?P<year>\d{{4}})\b", _I
)
_MONTH_DAY_YEAR = re.compile(
    rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})\b", _I
)
_MONTH_YEAR = re.compile(rf"\b{_MONTH},?\s+(?P<year>\d{{4}})\b", _I)
_SEASON = re.compile(
    r"\b(?:(?:early|mid|late)[- ])?(?P<season>spring|summer|autumn|fall|winter)"
    r"(?:\s+term)?\s+(?:of\s+)?(?P<year>\d{4})\b",
    _I,
)
_END_OF_YEAR = re.compile(r"\bend\s+of\s+(?:the\s+)?(?:year\s+)?(?P<year>\d{4})\b", _I)
_QUARTER = re.compile(r"\bQ(?P<quarter>[1-4])\s*(?:of\s+)?(?P<year>\d{4})\b", _I)
_RELATIVE = re.compile(
    rf"\b(?:within|in|over)\s+(?:the\s+)?(?:next\s+)?{_COUNT}\s+"
    r"(?P<unit>day|week|month|year)s?(?:['’]s?\s+time)?\b(?!\s+(?:of|from|after)\b)",
    _I,
)
_END_OF_THIS_YEAR = re.compile(r"\bend\s+of\s+(?:the|this)\s+(?:calendar\s+)?year\b", _I)
_DOC_DATE = re.compile(
    r"^\s*(?:date\s+of\s+publication|publication\s+date|date\s+published|published(?:\s+on)?"
    r"|date(?:d)?|issued|report\s+date|version\s+date)\s*[:\-–—]?\s*(?P<rest>.+)$",
    _I,
)


def end_of_month(year: int, month: int) -> date | None:
    """The last day of a month, or None for a month that cannot exist (year 0 or 10000)."""
    if not MINYEAR <= year <= MAXYEAR:
        return None
    return _safe_date(year, month, calendar.monthrange(year, month)[1])


def add_months(start: date, months: int) -> date | None:
    """`start` moved on by whole months, clamped to the end of a shorter month.

    None when that would leave the calendar (before year 1 or after 9999).
    """
    year, month = divmod(start.year * 12 + start.month - 1 + months, 12)
    last = end_of_month(year, month + 1)
    return last.replace(day=min(start.day, last.day)) if last else None


def _year(text: str) -> int:
    """A year as written: two digits mean this century ("21" is 2021, "0000" is year 0)."""
    value = int(text)
    return value + 2000 if len(text) == 2 else value


def _safe_date(year: int, month: int, day: int) -> date | None:
    """The date, or None for one that cannot exist (30 February, year 0 or 10000)."""
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _add_days(start: date, days: int) -> date | None:
    """`start` moved on by `days`, or None past the end of year 9999."""
    try:
        return date.fromordinal(start.toordinal() + days)
    except ValueError:
        return None


def _exact(m: re.Match[str]) -> date | None:
    month = MONTHS[m["month"].lower()] if m.groupdict().get("month") else int(m["mon"])
    return _safe_date(_year(m["year"]), month, int(m["day"]))


def _month_end(m: re.Match[str]) -> date | None:
    return end_of_month(int(m["year"]), MONTHS[m["month"].lower()])


def _season_end(m: re.Match[str]) -> date | None:
    extra_years, month = SEASONS[m["season"].lower()]
    return end_of_month(int(m["year"]) + extra_years, month)


def _year_end(m: re.Match[str]) -> date | None:
    return _safe_date(int(m["year"]), 12, 31)


def _quarter_end(m: re.Match[str]) -> date | None:
    return end_of_month(int(m["year"]), int(m["quarter"]) * 3)


_Reader = Callable[[re.Match[str]], date | None]
_ABSOLUTE: tuple[tuple[re.Pattern[str], _Reader], ...] = (
    (_ISO, _exact),
    (_NUMERIC, _exact),
    (_DAY_MONTH_YEAR, _exact),
    (_MONTH_DAY_YEAR, _exact),
    (_MONTH_YEAR, _month_end),
    (_SEASON, _season_end),
    (_END_OF_YEAR, _year_end),
    (_QUARTER, _quarter_end),
)


def _relative(m: re.Match[str], start: date) -> date | None:
    word = m["count"].lower()
    count = _NUMBER_WORDS[word] if word in _NUMBER_WORDS else int(word)
    unit = m["unit"].lower()
    if unit == "day":
        return _add_days(start, count)
    if unit == "week":
        return _add_days(start, 7 * count)
    return add_months(start, count * (12 if unit == "year" else 1))


def _candidates(text: str, doc_date: date | None) -> Iterable[tuple[int, int, date]]:
    for pattern, reader in _ABSOLUTE:
        for m in pattern.finditer(text):
            found = reader(m)
            if found:
                yield m.start(), -len(m[0]), found
    if doc_date is None:
        return
    for m in _RELATIVE.finditer(text):
        if found := _relative(m, doc_date):
            yield m.start(), -len(m[0]), found
    for m in _END_OF_THIS_YEAR.finditer(text):
        yield m.start(), -len(m[0]), date(doc_date.year, 12, 31)


def due_date(text: str, doc_date: date | None = None) -> date | None:
    """The due date a phrase implies: the earliest date expression in `text`.

    Month-only dates mean the end of that month; seasons end in November (autumn),
    May (spring), August (summer) or February of the next year (winter). Relative
    phrases ("within three months") count from `doc_date` and give None without it.
    Dates that cannot exist ("December 0000", "winter 9999") are not due dates.
    """
    found = sorted(_candidates(text, doc_date))
    return found[0][2] if found else None


def cell_date(value: object) -> date | None:
    """A date from a table cell (a date, a datetime or UK day-first text).

    Returns None for an empty cell; raises ValueError for text that is not a date.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    if not text:
        return None
    found = due_date(text)
    if found is None:
        raise ValueError(text)
    return found


def document_date(lines: Iterable[str]) -> date | None:
    """The date a document states for itself ("Published: 12 March 2021", "Date: ...")."""
    for line in lines:
        m = _DOC_DATE.match(line.replace("*", ""))
        if m is None:
            continue
        found = _calendar_day(m["rest"])
        if found:
            return found
    return None


def _calendar_day(text: str) -> date | None:
    for pattern in (_ISO, _NUMERIC, _DAY_MONTH_YEAR, _MONTH_DAY_YEAR):
        m = pattern.search(text)
        if m and (found := _exact(m)):
            return found
    m = _MONTH_YEAR.search(text)
    return _safe_date(int(m["year"]), MONTHS[m["month"].lower()], 1) if m else None
