"""Whether an assured action's change has stuck: its linked measures, and every kind of
measure a recommendation or action can link to.

The linked measure is `Action.measure` or else its recommendation's `measures`. Kinds:
- an indicator id: month by month since assurance, from the indicator engine and the
  trackers' monthly trend (calendar months, complete months only, up to the current case-data
  snapshot's extract date), so this page, the trackers and the JSON agree;
- "audit:<slug>": an audit tool's grades (`audits.grades`), shown, not judged here;
- a prefix of `KINDS` ("survey:<question id>", "escalation:<figure>"): one latest figure (a
  `Reading`) against the recommendation's `measure_target`.
Indicators and `KINDS` feed the embedded rule (`holds`) and the slip check (`slipped_since`).
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from assure.audits import grades
from assure.audits.models import Tool
from assure.casedata.models import ImportSnapshot
from assure.core.calendar import add_months, end_of_month
from assure.core.viewer import Viewer
from assure.escalations import measures as escalation_measures
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
from assure.surveys import measures as survey_measures


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


# ---- measures read as one latest figure: surveys, escalations ---------------------------------


@dataclass(frozen=True)
class Reading:
    """A measure's latest figure against its target: a survey question's share agreeing in
    its latest run, or an escalation figure over the last twelve months."""

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


@dataclass(frozen=True)
class Kind:
    """A kind of measure read as one figure: its id prefix, the permission to see its figures,
    what to offer where measures are chosen, and its figures (partnership, ids, today)."""

    prefix: str
    permission: tuple[str, str]
    choices: Callable[[int], list[tuple[str, str]]]
    readings: Callable[[int, list[str], date], dict[str, Reading]]


def _survey_readings(partnership_id: int, ids: list[str], today: date) -> dict[str, Reading]:
    found = survey_measures.shares(partnership_id, ids, today)
    return {
        measure: Reading(
            measure,
            f"Survey: {share.text}",
            share.value,
            share.hidden,
            share.run_on,
            f"{share.survey_title}, {share.run_on:%-d %B %Y}: {share.agreeing} of "
            f"{share.answering} {share.measure}",
            reverse("surveys:survey", args=[share.survey_id]),
        )
        for measure, share in found.items()
    }


def _escalation_readings(partnership_id: int, ids: list[str], today: date) -> dict[str, Reading]:
    found = escalation_measures.values(partnership_id, ids, today)
    link = reverse("escalations:dashboard")
    return {
        measure: Reading(
            measure,
            figure.title,
            figure.value,
            False,
            figure.end,
            f"{figure.start:%-d %B %Y} to {figure.end:%-d %B %Y}",
            link,
        )
        for measure, figure in found.items()
    }


KINDS = [
    Kind(survey_measures.PREFIX, ("survey", "view"), survey_measures.choices, _survey_readings),
    Kind(
        escalation_measures.PREFIX,
        ("escalation", "view"),
        lambda partnership_id: escalation_measures.choices(),
        _escalation_readings,
    ),
]


def kind_of(measure_id: str) -> Kind | None:
    return next((k for k in KINDS if measure_id.startswith(k.prefix)), None)


def choices(partnership_id: int, *, audits: bool = True) -> list[tuple[str, str]]:
    """Every measure the partnership can link to, as (id, words): indicators, audit tools'
    grades (`audits`: shown beside a recommendation, not judged), each of `KINDS`, then the
    providers' measures (courses' reach, learning products' dissemination)."""
    load_catalogue()
    found = [(i.id, i.title) for i in REGISTRY.values()]
    if audits:
        found += [
            (grades.measure_id(slug), f"Audit grades: {name}")
            for slug, name in Tool.objects.filter(partnership_id=partnership_id).values_list(
                "slug", "name"
            )
        ]
    for kind in KINDS:
        found += kind.choices(partnership_id)
    return found + other_choices(partnership_id)


def readings(
    partnership_id: int, ids: Sequence[str], today: date, viewer: Viewer | None = None
) -> dict[str, Reading]:
    """The latest figure of each measure of `KINDS` among `ids` (one computation per kind),
    at the default target; with a `viewer`, only the kinds they may see."""
    found: dict[str, Reading] = {}
    for kind in KINDS:
        wanted = [i for i in dict.fromkeys(ids) if i.startswith(kind.prefix)]
        if wanted and (viewer is None or viewer.can(*kind.permission)):
            found |= kind.readings(partnership_id, wanted, today)
    return found


def action_readings(
    action: Action, today: date | None = None, viewer: Viewer | None = None
) -> list[Reading]:
    """The action's linked measures of `KINDS` (its own, else its recommendation's) against
    its recommendation's target, counting from the day it was assured; with a `viewer`, only
    the kinds they may see."""
    rec = action.recommendation
    wanted = [action.measure] if action.measure else list(rec.measures or [])
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
