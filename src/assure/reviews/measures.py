"""Whether an assured action's change has stuck: its linked measure, month by month, since.

The linked measure is `Action.measure` (an indicator id) or else its recommendation's
`measures`. Values come from the indicator engine and the trackers' monthly trend (calendar
months, complete months only, up to the current case-data snapshot's extract date), so this
page, the trackers and the JSON agree; nothing here re-computes an indicator.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from assure.casedata.models import ImportSnapshot
from assure.core.calendar import add_months, end_of_month
from assure.indicators.disclosure import Disclosure
from assure.indicators.engine import (
    REGISTRY,
    Indicator,
    compute,
    load_catalogue,
    shared_rows,
    with_target,
)
from assure.indicators.selectors import Month, trend
from assure.reviews.models import Action


@dataclass(frozen=True)
class MonthValue:
    label: str
    end: date
    value: float | None  # None: nothing fell due that month, or `hidden`
    at_target: bool
    hidden: bool = False  # the value rests on a small count the viewer may not see


@dataclass(frozen=True)
class MeasureRecord:
    """One linked measure's monthly values after assurance, against its target."""

    indicator: Indicator  # with the partnership's target applied
    months: list[MonthValue]
    needed: int  # consecutive months at target for "embedded" (Partnership.embed_months)

    @property
    def run(self) -> int:
        """Consecutive months at or above target up to the latest complete month."""
        count = 0
        for month in reversed(self.months):
            if not month.at_target:
                break
            count += 1
        return count

    @property
    def holds(self) -> bool:
        return self.run >= self.needed

    @property
    def latest(self) -> MonthValue | None:
        return self.months[-1] if self.months else None


# Measures other than the catalogue's indicators, by the prefix of their id ("course:12"):
# (partnership id, measure id, months) -> the measure's monthly values, None when the id names
# nothing of that partnership. Areas add theirs when the app is ready (workforce: courses'
# reach, learning products' dissemination).
Provider = Callable[[int, str, Sequence[Month]], "MeasureRecord | None"]
PROVIDERS: dict[str, Provider] = {}
# partnership id -> (measure id, label) of those measures a recommendation may be linked to.
CHOICES: list[Callable[[int], list[tuple[str, str]]]] = []


def other_choices(partnership_id: int) -> list[tuple[str, str]]:
    """The measures other than indicators a recommendation of the partnership may name."""
    return [choice for provider in CHOICES for choice in provider(partnership_id)]


def _provider(measure_id: str) -> Provider | None:
    prefix, colon, _ = measure_id.partition(":")
    return PROVIDERS.get(prefix) if colon else None


def measure_ids(action: Action) -> list[str]:
    """The action's own measure, else its recommendation's; only those the catalogue (or a
    provider of other measures) knows."""
    load_catalogue()
    wanted = [action.measure] if action.measure else list(action.recommendation.measures or [])
    return [i for i in dict.fromkeys(wanted) if i in REGISTRY or _provider(i)]


def complete_months(after: date, extract_date: date) -> list[Month]:
    """Calendar months starting after `after`'s month and ending on or before `extract_date`."""
    months = []
    first = add_months(after.replace(day=1), 1)
    while (last := end_of_month(first.year, first.month)) <= extract_date:
        months.append(Month(first.strftime("%b %Y"), first, last))
        first = last + timedelta(days=1)
    return months


def monthly_values(
    indicator_id: str,
    partnership_id: int,
    months: Sequence[Month],
    disclosure: Disclosure | None = None,
) -> MeasureRecord:
    """One indicator's value in each month, judged as at each month's end, with its target;
    with a viewer's `disclosure`, values resting on small counts are hidden (not the judgement)."""
    with shared_rows():
        overall = compute(indicator_id, partnership_id, months[0].start, months[-1].end)
        tallies = trend(indicator_id, partnership_id, months, overall)
    target = overall.indicator.target
    values = []
    for month, tally in zip(months, tallies, strict=True):
        hidden = disclosure is not None and disclosure.row(tally).value_hidden
        at_target = tally.value is not None and tally.value >= target
        values.append(
            MonthValue(month.label, month.end, None if hidden else tally.value, at_target, hidden)
        )
    return MeasureRecord(overall.indicator, values, needed=0)


def _months_to_today(action: Action) -> list[Month]:
    if action.assured_at is None:
        return []
    return complete_months(timezone.localtime(action.assured_at).date(), timezone.localdate())


def measure_records(action: Action, disclosure: Disclosure | None = None) -> list[MeasureRecord]:
    """Each linked measure's values for the complete months since the action was assured
    (no months before it is assured or before any case data is imported); `disclosure`: as
    a viewer may see them."""
    ids = measure_ids(action)
    snapshot = ImportSnapshot.current(action.partnership_id) if ids else None
    needed = action.partnership.embed_months
    months = (
        complete_months(timezone.localtime(action.assured_at).date(), snapshot.extract_date)
        if snapshot is not None and action.assured_at is not None
        else []
    )
    records = []
    for indicator_id in ids:
        provider = _provider(indicator_id)
        if provider is not None:
            # not case data: the complete months up to today
            found = provider(action.partnership_id, indicator_id, _months_to_today(action))
            if found is not None:
                records.append(MeasureRecord(found.indicator, found.months, needed))
            continue
        if months:
            record = monthly_values(indicator_id, action.partnership_id, months, disclosure)
            records.append(MeasureRecord(record.indicator, record.months, needed))
        else:
            records.append(MeasureRecord(with_target(REGISTRY[indicator_id]), [], needed))
    return records
