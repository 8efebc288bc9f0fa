"""Whether a recommendation changed anything: a linked measure before and since it was accepted.

The test is a two-proportion z-test of the share done on time over the 12 months before the
recommendation was accepted against the share since (each month's obligations pooled). It
asks how likely a difference at least this large would be if nothing had changed; below 5%
("p < 0.05") the report calls the change more than chance. It cannot say the recommendation
caused the change, and months are not independent, so the words say so.

Every kind of measure (`reviews.measures.KINDS`) compares its own way, through `compare`:
indicators, audit grades and escalation figures pool their months; a course's reach counts
distinct attendees over 12 months; a product's dissemination is cumulative (compared, not
tested); a survey question and a self-assessment standard compare the latest run or round
before acceptance with the latest since. Where a test is not meaningful the entry says why.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings

from assure.core.calendar import add_months, end_of_month
from assure.indicators.disclosure import Disclosure, Sum
from assure.indicators.selectors import Month, Tally

SIGNIFICANCE = 0.05
BEFORE_MONTHS = 12


@dataclass(frozen=True)
class Proportion:
    met: int
    total: int

    @property
    def share(self) -> float | None:
        return self.met / self.total if self.total else None


@dataclass(frozen=True)
class TwoProportionTest:
    before: Proportion
    since: Proportion
    z: float
    p_value: float

    @property
    def more_than_chance(self) -> bool:
        return self.p_value < SIGNIFICANCE

    def words(self) -> str:
        """The result in plain words, with its numbers."""
        b, s = self.before, self.since
        assert b.share is not None
        assert s.share is not None
        direction = "up" if s.share > b.share else "down" if s.share < b.share else "unchanged"
        change = (
            f"went {direction} from {b.share:.0%} ({b.met} of {b.total}) in the 12 months "
            f"before to {s.share:.0%} ({s.met} of {s.total}) since"
            if direction != "unchanged"
            else f"stayed at {b.share:.0%} ({b.met} of {b.total} before, "
            f"{s.met} of {s.total} since)"
        )
        verdict = (
            "more than chance: a difference this large would arise by chance alone "
            f"{_odds(self.p_value)} if nothing had changed"
            if self.more_than_chance
            else "not more than chance: a difference this large could well arise by chance "
            f"alone ({_odds(self.p_value)}) if nothing had changed"
        )
        return (
            f"Done on time {change}. A two-proportion z-test gives z = {self.z:.2f}, "
            f"p = {_p(self.p_value)}: the change is {verdict}. "
            "It shows a change, not what caused it."
        )

    def brief(self) -> str:
        """The result in a table's few words (the shares are beside it, and the test and its
        limits are said once above the table)."""
        points = round((self.since.share or 0) * 100) - round((self.before.share or 0) * 100)
        change = (
            f"Up {points} points"
            if points > 0
            else f"Down {-points} points"
            if points
            else "No change"
        )
        verdict = (
            f"more than chance (by chance alone {_odds(self.p_value)})"
            if self.more_than_chance
            else f"could be chance ({_odds(self.p_value)})"
        )
        return f"{change}: z = {self.z:.2f}, p = {_p(self.p_value)}, {verdict}."


def _p(value: float) -> str:
    return "< 0.001" if value < 0.001 else f"{value:.3f}"


def _odds(p_value: float) -> str:
    if p_value < 0.001:
        return "less than 1 time in 1,000"
    if p_value < 0.01:
        return "less than 1 time in 100"
    if p_value < SIGNIFICANCE:
        return "less than 1 time in 20"
    return f"about {round(p_value * 100)} times in 100"


def two_proportion_test(before: Proportion, since: Proportion) -> TwoProportionTest | None:
    """The pooled two-sided z-test of since against before; None when either side is empty
    or every obligation (or none) was met on both sides (nothing varies to test)."""
    if not before.total or not since.total:
        return None
    pooled = (before.met + since.met) / (before.total + since.total)
    variance = pooled * (1 - pooled) * (1 / before.total + 1 / since.total)
    if variance == 0:
        return None
    z = ((since.met / since.total) - (before.met / before.total)) / math.sqrt(variance)
    p_value = math.erfc(abs(z) / math.sqrt(2))
    return TwoProportionTest(before, since, z, p_value)


# ---- before and since, for every kind of measure ---------------------------------------------


@dataclass(frozen=True)
class Side:
    """One side of a comparison as anyone may see it: which months or which run (`span`), and
    how many of how many (`met` of `total`). `hidden`: it rests on small numbers, so its share
    is neither shown nor tested; `words`: what to show instead of a share."""

    span: str
    met: int = 0
    total: int = 0
    hidden: bool = False
    words: str = ""

    @property
    def value(self) -> float | None:
        return None if self.hidden or not self.total else self.met / self.total


def compare(
    header: dict[str, Any],
    before: Side,
    since: Side,
    *,
    nothing_before: str,
    nothing_since: str,
    no_test: str = "",
) -> dict[str, Any]:
    """The report's before-and-since entry of one measure (`header`: id, title, target and
    whatever else the kind adds, e.g. its months): the two sides and, where it is meaningful,
    the two-proportion test in plain words; where it is not, the reason
    (`nothing_before`/`nothing_since`: no figure on that side; `no_test`: why these figures
    are not tested)."""
    test = None
    if not since.total and not since.hidden:
        words = nothing_since
    elif not before.total and not before.hidden:
        words = nothing_before
    elif before.hidden or since.hidden:
        words = "Too few to compare without revealing small numbers."
    elif no_test:
        words = f"{_change(before, since)}. {no_test}"
    else:
        test = two_proportion_test(
            Proportion(before.met, before.total), Proportion(since.met, since.total)
        )
        words = (
            test.brief()
            if test
            else f"{_change(before, since)}. No test: every one (or none) was met on both "
            "sides, so nothing varies to test."
        )
    return header | {
        "before": before.span,
        "since": since.span,
        "pooled": [_side("Before", before), _side("Since", since)],
        "test": (
            {"z": test.z, "p_value": test.p_value, "more_than_chance": test.more_than_chance}
            if test
            else None
        ),
        "statement": words,
    }


def _side(period: str, side: Side) -> dict[str, Any]:
    counted = str(side.total) if side.total or not side.words else "0"
    return {
        "period": period,
        "met": "" if side.hidden else str(side.met),
        "counted": counted,
        "value": side.value,
        "words": pooled_words(side.value, counted, side.words),
    }


def pooled_words(value: float | None, counted: str, words: str = "") -> str:
    """What the report shows for a pooled figure instead of its share ("" when the share is
    shown): the kind's own `words`; else that nothing was counted; else that it is hidden as
    small, with how many were counted when that may be shown (never "not shown" twice)."""
    if words or value is not None:
        return words
    if counted == "0":
        return "nothing counted"
    return f"not shown ({counted} counted)" if counted.isdigit() else "not shown"


def _change(before: Side, since: Side) -> str:
    points = round((since.value or 0) * 100) - round((before.value or 0) * 100)
    return (
        f"Up {points} points" if points > 0 else f"Down {-points} points" if points else "No change"
    )


def windows(accepted: date, as_at: date) -> tuple[list[Month], list[Month]]:
    """The 12 calendar months before the month the recommendations were accepted, and the
    complete months since (from the month after it, up to the last ending on or before
    `as_at`; the latest 12), as for the indicators."""
    first = add_months(accepted.replace(day=1), -BEFORE_MONTHS)
    before = months_between(first, accepted.replace(day=1) - timedelta(days=1))
    since = months_between(add_months(accepted.replace(day=1), 1), as_at)
    return before, since[-BEFORE_MONTHS:]


def months_between(first: date, last: date) -> list[Month]:
    """The complete calendar months from `first`'s month ending on or before `last`."""
    months = []
    day = first.replace(day=1)
    while (end := end_of_month(day.year, day.month)) <= last:
        months.append(Month(day.strftime("%b %Y"), day, end))
        day = end + timedelta(days=1)
    return months


def span(months: Sequence[Month]) -> str:
    """ "Jan 2025 to Dec 2025", or "" for no months."""
    if not months:
        return ""
    first, last = months[0].label, months[-1].label
    return first if first == last else f"{first} to {last}"


def month_row(
    month: Month, value: float | None, counted: str, *, shown: bool = True, words: str = ""
) -> dict[str, Any]:
    """One month of a measure's table and chart in the report (`words`: instead of a value)."""
    return {
        "month": month.label,
        "start": month.start.isoformat(),
        "year": month.start.year,
        "number": month.start.month,
        "value": value if shown else None,
        "counted": counted,
        "shown": shown,
        "words": words,
    }


def pooled_months(
    header: dict[str, Any],
    before: Sequence[Month],
    since: Sequence[Month],
    counts: dict[date, tuple[int, int]],
    *,
    nothing_before: str,
    nothing_since: str,
    none_words: str = "None",
) -> dict[str, Any]:
    """A measure counted month by month (`counts`: month start -> met, counted), compared as
    the indicators are: the months before pooled against the months since, each month in the
    entry's `months` for its chart and table. Small numbers are hidden as in the trackers (the
    report's rule: no exact small count), so that none can be worked out from a month's total
    nor from the pooled figures."""
    disclosure = Disclosure(exact=False, threshold=settings.SMALL_COUNT_THRESHOLD)
    every = [*before, *since]
    lines = [_tally(m.label, *counts.get(m.start, (0, 0))) for m in every]
    parts = [list(range(len(before))), list(range(len(before), len(every)))]
    pooled = [_pool([lines[i] for i in part]) for part in parts]
    sums = [Sum(total, part) for total, part in zip(pooled, parts, strict=True) if part]
    rows = disclosure.table(lines, [(line.name, "") for line in lines], sums)
    months = [
        month_row(
            month,
            row.value,
            str(row.total),
            shown=not row.value_hidden,
            words="" if row.value_hidden or row.value is not None else none_words,
        )
        for month, row in zip(every, rows, strict=True)
    ]
    sides = []
    for window, total in zip((before, since), pooled, strict=True):
        shown = disclosure.row(total)
        sides.append(
            Side(span(window), total.met, total.denominator, hidden=shown.value_hidden)
            if not shown.value_hidden
            else Side(span(window), hidden=True, words=pooled_words(None, str(shown.total)))
        )
    return compare(
        header | {"months": months if any(line.denominator for line in lines) else []},
        sides[0],
        sides[1],
        nothing_before=nothing_before,
        nothing_since=nothing_since,
    )


def _tally(name: str, met: int, counted: int) -> Tally:
    """Met, and the rest counted as not met (the trackers' "late" column)."""
    return Tally(name, "", met, counted - met)


def _pool(lines: Sequence[Tally]) -> Tally:
    return Tally("", "", sum(t.met for t in lines), sum(t.late for t in lines))
