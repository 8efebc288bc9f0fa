"""A self-assessment standard as a recommendation's measure ("standard:<framework key>:<number>"):
the share of agencies rating the standard fully met in the latest round, after the learning
group's challenge (the challenged rating where there is one, else the agency's own).

The latest round is the one, of any version of the framework, with the latest due date among
those with a submission made by the day in question; only submissions (and challenges) made by
that day count, so a past figure stays as it was. Standards are matched by their number across
the framework's versions, as a survey question is matched by its words across runs. Agencies
are not people: their counts are shown as they are.

`KIND` registers it with `reviews.measures` (when the app is ready): its latest figure against
the recommendation's target judges the embedded rule and the slip check, is shown on the review
and action pages, and the assurance report compares the latest round before the recommendations
were accepted with the latest since (a two-proportion test on the share fully met).
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.urls import reverse
from django.utils import timezone

from assure.reports.impact import Side, compare
from assure.reviews import measures as registry
from assure.selfassessment.models import Framework, Rating, Round, StandardRating

PREFIX = "standard:"


def measure_id(framework_key: str, number: int) -> str:
    return f"{PREFIX}{framework_key}:{number}"


def parse(measure: str) -> tuple[str, int] | None:
    """(framework key, standard number) of a measure id; None when malformed."""
    key, colon, number = measure.removeprefix(PREFIX).rpartition(":")
    if not measure.startswith(PREFIX) or not colon or not key or not number.isdigit():
        return None
    return key, int(number)


@dataclass(frozen=True)
class StandardFigure:
    """One standard in the latest round by a day: agencies fully meeting it of those rating it."""

    title: str  # "Standard 5 (Training)"
    round_id: int | None  # None: no round submitted by then
    round_name: str
    fully_met: int
    rated: int
    as_of: date | None  # the last submission or challenge counted

    @property
    def value(self) -> float | None:
        return self.fully_met / self.rated if self.rated else None

    @property
    def basis(self) -> str:
        if self.round_id is None:
            return "no round submitted yet"
        return (
            f"{self.round_name}: {self.fully_met} of {self.rated} agencies fully met, after "
            "challenge"
        )


def _end_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def figure(partnership_id: int, measure: str, as_of: date) -> StandardFigure | None:
    """The standard's share fully met in the latest round submitted by `as_of`; None when the
    id names no standard of the partnership's frameworks."""
    parsed = parse(measure)
    if parsed is None:
        return None
    key, number = parsed
    frameworks = Framework.objects.filter(partnership_id=partnership_id, key=key)
    named = (
        frameworks.filter(standards__number=number)
        .order_by("-version")
        .values_list("title", "standards__title")
        .first()
    )
    if named is None:
        return None
    title = f"Standard {number}, {named[1]} ({named[0]}): share of agencies fully met"
    moment = _end_of(as_of)
    latest = (
        Round.objects.filter(
            partnership_id=partnership_id,
            framework__in=frameworks,
            submissions__submitted_at__lt=moment,
        )
        .order_by("-due_date", "-created_at", "-id")
        .values_list("pk", "name")
        .first()
    )
    if latest is None:
        return StandardFigure(title, None, "", 0, 0, None)
    rows = StandardRating.objects.filter(
        submission__round_id=latest[0],
        submission__submitted_at__lt=moment,
        standard__number=number,
    ).values_list("rating", "challenged_rating", "challenged_at", "submission__submitted_at")
    met = rated = 0
    days = []
    for rating, challenged, challenged_at, submitted_at in rows:
        counted_challenge = (
            bool(challenged) and challenged_at is not None and challenged_at < moment
        )
        final = challenged if counted_challenge else rating
        rated += 1
        met += final == Rating.FULLY_MET
        days.append(timezone.localtime(challenged_at if counted_challenge else submitted_at).date())
    return StandardFigure(title, latest[0], latest[1], met, rated, max(days, default=None))


def choices(partnership_id: int) -> list[tuple[str, str]]:
    """Each standard of the latest version of each of the partnership's frameworks."""
    latest: dict[str, Framework] = {}
    for framework in Framework.objects.filter(partnership_id=partnership_id).order_by("version"):
        latest[framework.key] = framework
    return [
        (
            measure_id(framework.key, standard.number),
            f"standard {standard.number}, {standard.title}, fully met ({framework.title})",
        )
        for framework in sorted(latest.values(), key=lambda f: f.title)
        for standard in framework.standards.all()
    ]


def readings(partnership_id: int, ids: list[str], today: date) -> dict[str, registry.Reading]:
    """Each standard among `ids` as its latest figure (the default target)."""
    found = {}
    for measure in ids:
        shown = figure(partnership_id, measure, today)
        if shown is None:
            continue
        found[measure] = registry.Reading(
            measure,
            shown.title,
            shown.value,
            False,
            shown.as_of or today,
            shown.basis,
            reverse("selfassessment:round", args=[shown.round_id])
            if shown.round_id
            else reverse("selfassessment:rounds"),
        )
    return found


def _side(shown: StandardFigure | None) -> Side:
    if shown is None or shown.round_id is None:
        return Side("", words="no round")
    return Side(shown.round_name, shown.fully_met, shown.rated)


def impact(partnership_id: int, measure: str, accepted: date, as_at: date) -> dict | None:
    """The latest round submitted by the day the recommendations were accepted against the
    latest submitted since (a later round, up to `as_at`): a two-proportion test of the share
    of agencies fully meeting the standard."""
    before = figure(partnership_id, measure, accepted)
    if before is None:
        return None
    latest = figure(partnership_id, measure, as_at)
    since = latest if latest is not None and latest.round_id != before.round_id else None
    return compare(
        {"id": measure, "title": before.title, "target": None},
        _side(before),
        _side(since),
        nothing_before="No test: no self-assessment round had been submitted before the "
        "recommendation was accepted.",
        nothing_since="No test: no later self-assessment round has been submitted since the "
        "recommendation was accepted.",
    )


KIND = registry.Kind(
    PREFIX,
    "Self-assessment",
    ("selfassessment", "view"),
    choices,
    readings=readings,
    impact=impact,
)
