"""Whether an assured action's change has stuck: its linked measures, and the one registry of
every kind of measure a recommendation or action can link to.

Each kind registers once (`register`, from its app's `ready`): its id prefix ("survey:"), the
permission to see its figures, what to offer where measures are chosen, and its figures:
- `monthly`: month by month since assurance (courses' reach, products' dissemination);
- `readings`: one latest figure (a `Reading`) against the recommendation's `measure_target`
  (survey questions, escalation figures, self-assessment standards);
- `impact`: the assurance report's before-and-since comparison (`reports.impact`);
- `judged`: whether it feeds the embedded rule (`holds`) and the slip check (`slipped_since`);
  audit grades ("audit:<slug>") are shown and reported, not judged.
The catalogue's indicators are the kind `INDICATORS` (ids without a prefix): month by month
from the indicator engine and the trackers' monthly trend (complete calendar months up to the
current case-data snapshot's extract date), so this page, the trackers and the JSON agree.
The embedded rule, the slip check, the action and review pages, the progress report and the
assurance report all ask this registry.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from assure.casedata.models import ImportSnapshot
from assure.core.calendar import add_months, end_of_month
from assure.core.viewer import Viewer
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

    @property
    def id(self) -> str:
        return self.indicator.id

    @property
    def title(self) -> str:
        return self.indicator.title

    @property
    def shortfall(self) -> str:
        """Why it does not show the action embedded (when it does not `hold`)."""
        return (
            f"“{self.title}” has been at or above its target for {self.run} of the "
            f"{self.needed} complete months needed since the action was assured: wait for more "
            "months of case data"
        )

    def slipped_since(self, day: date) -> bool:
        """Its latest complete month, ending on or after `day`, fell below target."""
        latest = self.latest
        return (
            latest is not None
            and latest.value is not None
            and not latest.at_target
            and latest.end >= day
        )

    @property
    def latest_figure(self) -> list[object]:
        latest = self.latest
        return [latest.label if latest else "", latest.value if latest else None, self.target]

    @property
    def target(self) -> float:
        return self.indicator.target


Provider = Callable[[int, str, Sequence[Month]], "MeasureRecord | None"]


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


def monthly_records(
    partnership_id: int, ids: Sequence[str], months: Sequence[Month], viewer: Viewer | None = None
) -> dict[str, MeasureRecord]:
    """Each measure among `ids` whose kind has `monthly` values (not the catalogue's
    indicators), read over `months`; none for an id naming nothing; with a `viewer`, only the
    kinds they may see."""
    found = {}
    for measure in dict.fromkeys(ids):
        kind = kind_of(measure)
        if kind is None or kind.monthly is None or not kind.seen_by(viewer):
            continue
        record = kind.monthly(partnership_id, measure, months)
        if record is not None:
            found[measure] = record
    return found


def _months_to_today(action: Action) -> list[Month]:
    if action.assured_at is None:
        return []
    return complete_months(timezone.localtime(action.assured_at).date(), timezone.localdate())


def measure_records(
    action: Action, disclosure: Disclosure | None = None, viewer: Viewer | None = None
) -> list[MeasureRecord]:
    """Each linked measure read month by month (indicators, and kinds with `monthly` values)
    for the complete months since the action was assured (none before it is assured; for
    indicators, none before any case data is imported); `disclosure`: as a viewer may see
    them; with a `viewer`, only the kinds they may see."""
    ids = [i for i in linked(action) if (kind := kind_of(i)) and kind.by_month(viewer)]
    indicators = [i for i in ids if i in REGISTRY]
    snapshot = ImportSnapshot.current(action.partnership_id) if indicators else None
    needed = action.partnership.embed_months
    months = (
        complete_months(timezone.localtime(action.assured_at).date(), snapshot.extract_date)
        if snapshot is not None and action.assured_at is not None
        else []
    )
    # not case data: the complete months up to today
    others = monthly_records(action.partnership_id, ids, _months_to_today(action))
    records = []
    for measure in ids:
        if measure not in REGISTRY:
            if (found := others.get(measure)) is not None:
                records.append(MeasureRecord(found.indicator, found.months, needed))
            continue
        if months:
            record = monthly_values(measure, action.partnership_id, months, disclosure)
            records.append(MeasureRecord(record.indicator, record.months, needed))
        else:
            records.append(MeasureRecord(with_target(REGISTRY[measure]), [], needed))
    return records


# ---- measures read as one latest figure: surveys, escalations, standards ----------------------


@dataclass(frozen=True)
class Reading:
    """A measure's latest figure against its target: a survey question's share agreeing in
    its latest run, an escalation figure over the last twelve months, or the share of agencies
    fully meeting a self-assessment standard in its latest round."""

    id: str
    title: str
    value: float | None  # 0 to 1; None when there is nothing to count yet, or `hidden`
    hidden: bool  # rests on small numbers: not shown, and never counts as met
    as_of: date  # the day the figure describes: a survey run's date, a window's end
    basis: str  # which run or window, with the counts anyone may see
    link: str  # the page showing the figure in full
    target: float = 0.8
    counts_from: date | None = None  # figures from before this day (assurance) do not count

    @property
    def at_target(self) -> bool:
        return not self.hidden and self.value is not None and self.value >= self.target

    @property
    def holds(self) -> bool:
        """At or above target, from on or after the action's assurance: shows it embedded."""
        return self.at_target and (self.counts_from is None or self.as_of >= self.counts_from)

    @property
    def shortfall(self) -> str:
        """Why it does not show the action embedded (when it does not `hold`)."""
        if self.hidden:
            return (
                f"“{self.title}” is not shown, and cannot count as met: it rests on fewer than "
                f"{settings.SMALL_COUNT_THRESHOLD} answers ({self.basis}): wait for more answers"
            )
        if self.value is None:
            return f"“{self.title}” has nothing to count yet ({self.basis})"
        if not self.at_target:
            return (
                f"“{self.title}” is {self.value:.0%} against a target of {self.target:.0%} "
                f"({self.basis})"
            )
        return (
            f"“{self.title}” comes from before the action was assured ({self.basis}): run it "
            "again to show the change has stuck"
        )

    def slipped_since(self, day: date) -> bool:
        """A figure of `day` or later, shown, below target."""
        return (
            self.value is not None
            and not self.hidden
            and not self.at_target
            and (self.as_of >= day)
        )

    @property
    def latest_figure(self) -> list[object]:
        return [self.as_of.isoformat(), self.value, self.target]


Readings = Callable[[int, list[str], date], dict[str, Reading]]
# (partnership id, measure id, day the recommendations were accepted, day the report is as at)
# -> the report's comparison (`reports.impact.compare`), None when the id names nothing.
Impact = Callable[[int, str, date, date], "dict[str, Any] | None"]


@dataclass(frozen=True)
class Kind:
    """A kind of measure: its id prefix ("" for the catalogue's indicators), the heading its
    measures are offered under, the permission to see its figures, what to offer where measures
    are chosen (partnership id -> (id, words under the heading)), and its figures (see the
    module's docstring)."""

    prefix: str
    heading: str
    permission: tuple[str, str]
    choices: Callable[[int], list[tuple[str, str]]]
    monthly: Provider | None = None
    readings: Readings | None = None
    impact: Impact | None = None
    judged: bool = True

    def owns(self, measure_id: str) -> bool:
        if not self.prefix:
            load_catalogue()
            return measure_id in REGISTRY
        return measure_id.startswith(self.prefix) and len(measure_id) > len(self.prefix)

    def seen_by(self, viewer: Viewer | None) -> bool:
        return viewer is None or viewer.can(*self.permission)

    def by_month(self, viewer: Viewer | None = None) -> bool:
        """Whether it is judged month by month since assurance (and the viewer may see it)."""
        monthly = not self.prefix or self.monthly is not None
        return self.judged and monthly and self.seen_by(viewer)

    def label(self, words: str) -> str:
        """A measure's words where no heading shows its kind: "Survey: …"; the catalogue's
        indicators by their title alone."""
        return f"{self.heading}: {words}" if self.prefix else words


def _indicator_choices(partnership_id: int) -> list[tuple[str, str]]:
    load_catalogue()
    return [(i.id, i.title) for i in REGISTRY.values()]


INDICATORS = Kind("", "Trackers", ("case_data", "view"), _indicator_choices)
KINDS: dict[str, Kind] = {INDICATORS.prefix: INDICATORS}


def register(kind: Kind) -> None:
    """Add (or replace) the kind with its prefix; each app calls it once, when it is ready."""
    KINDS[kind.prefix] = kind


def kind_of(measure_id: str) -> Kind | None:
    """The kind a measure id belongs to; None for an id no kind knows."""
    return next((k for k in KINDS.values() if k.owns(measure_id)), None)


def linked(action: Action) -> list[str]:
    """The action's own measure, else its recommendation's (each once, in order)."""
    wanted = [action.measure] if action.measure else list(action.recommendation.measures or [])
    return list(dict.fromkeys(wanted))


def measure_ids(action: Action) -> list[str]:
    """The linked measures judged month by month: indicators the catalogue knows and kinds
    with monthly values."""
    return [i for i in linked(action) if (kind := kind_of(i)) and kind.by_month()]


def choices(partnership_id: int, *, judged_only: bool = False) -> list[tuple[str, str]]:
    """Every measure the partnership can link to, as (id, words saying its kind), kind by kind
    in the order they registered (indicators first); `judged_only`: only those the embedded
    rule judges (an action's own measure), leaving out those only shown (audit grades)."""
    return [
        (value, kind.label(words))
        for kind in KINDS.values()
        if kind.judged or not judged_only
        for value, words in kind.choices(partnership_id)
    ]


def choices_by_kind(partnership_id: int) -> list[tuple[str, list[tuple[str, str]]]]:
    """Every measure the partnership can link to, under its kind's heading, kind by kind in
    the order they registered (indicators first; kinds offering nothing left out)."""
    groups = [(kind.heading, kind.choices(partnership_id)) for kind in KINDS.values()]
    return [(heading, offered) for heading, offered in groups if offered]


def readings(
    partnership_id: int, ids: Sequence[str], today: date, viewer: Viewer | None = None
) -> dict[str, Reading]:
    """The latest figure of each measure among `ids` whose kind has `readings` (one computation
    per kind), at the default target; with a `viewer`, only the kinds they may see."""
    found: dict[str, Reading] = {}
    for kind in KINDS.values():
        if kind.readings is None or not kind.seen_by(viewer):
            continue
        wanted = [i for i in dict.fromkeys(ids) if kind.owns(i)]
        if wanted:
            found |= kind.readings(partnership_id, wanted, today)
    return found


def reading_prefixes() -> tuple[str, ...]:
    """The id prefixes of the kinds read as one latest figure."""
    return tuple(k.prefix for k in KINDS.values() if k.readings is not None)


def action_readings(
    action: Action, today: date | None = None, viewer: Viewer | None = None
) -> list[Reading]:
    """The action's linked measures read as one figure (its own, else its recommendation's)
    against its recommendation's target, counting from the day it was assured; with a
    `viewer`, only the kinds they may see."""
    rec = action.recommendation
    wanted = linked(action)
    found = readings(action.partnership_id, wanted, today or timezone.localdate(), viewer)
    assured = timezone.localtime(action.assured_at).date() if action.assured_at else None
    return [
        replace(found[i], target=rec.measure_target / 100, counts_from=assured)
        for i in wanted
        if i in found
    ]


def judged(action: Action, today: date | None = None) -> list[MeasureRecord | Reading]:
    """Every linked measure the embedded rule and the slip check judge the action by."""
    return [*measure_records(action), *action_readings(action, today)]
