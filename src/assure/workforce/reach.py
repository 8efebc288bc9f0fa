"""Courses' reach and products' dissemination as a recommendation's measures.

A measure id "course:<id>" is the course's reach over the 12 months up to each month's end;
"product:<id>" is the share of the declared workforce the product's dissemination has reached
by each month's end. Each is judged against the course's or product's target, so they feed
the embedded rule (`reviews.measures`) as the indicators do. `COURSE` and `PRODUCT` register
them (when the app is ready); the assurance report compares them before and since the
recommendations were accepted (`course_impact`, `product_impact`).
"""

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta

from assure.core.calendar import add_months
from assure.indicators.engine import Columns, Indicator, Window
from assure.indicators.selectors import Month
from assure.reports.impact import Side, compare, month_row, span, windows
from assure.reviews.measures import Kind, MeasureRecord, MonthValue
from assure.workforce.models import Course, LearningProduct
from assure.workforce.selectors import (
    AgencySharing,
    Reach,
    dissemination_share,
    reach_of,
    sharing_of,
)

PRODUCT_TARGET = 0.8


def _not_an_indicator(window: Window) -> Columns:
    raise TypeError("A workforce measure is not computed from case data")


def _measure(measure_id: str, title: str, measures: str, target: float) -> Indicator:
    """The measure described as the catalogue describes an indicator (id, title, target)."""
    return Indicator(
        id=measure_id,
        title=title,
        measures=measures,
        basis="Workforce learning recorded in Assure",
        timescale_key=None,
        target=target,
        tables=(),
        compute=_not_an_indicator,
    )


def _month_value(month: Month, value: float | None, target: float) -> MonthValue:
    return MonthValue(month.label, month.end, value, value is not None and value >= target)


def course_measure(
    partnership_id: int, measure_id: str, months: Sequence[Month]
) -> MeasureRecord | None:
    course = Course.objects.filter(partnership_id=partnership_id, pk=_pk(measure_id)).first()
    if course is None:
        return None
    described = _measure(
        measure_id,
        f"Reach of the course “{course.title}”",
        "Distinct attendees in the 12 months to the month's end over the declared workforce",
        course.target,
    )
    values = []
    for month in months:
        start = add_months(month.end, -12) + timedelta(days=1)
        share = reach_of(partnership_id, [course], start, month.end)[0].total.share
        values.append(_month_value(month, share, course.target))
    return MeasureRecord(described, values, needed=0)


def product_measure(
    partnership_id: int, measure_id: str, months: Sequence[Month]
) -> MeasureRecord | None:
    product = LearningProduct.objects.filter(
        partnership_id=partnership_id, pk=_pk(measure_id)
    ).first()
    if product is None:
        return None
    described = _measure(
        measure_id,
        f"Dissemination of “{product.title}”",
        "Staff reached by the agencies' dissemination over their declared workforce",
        PRODUCT_TARGET,
    )
    values = [
        _month_value(
            month,
            dissemination_share(sharing_of(partnership_id, product, month.end)),
            PRODUCT_TARGET,
        )
        for month in months
    ]
    return MeasureRecord(described, values, needed=0)


def _pk(measure_id: str) -> int:
    _, _, text = measure_id.partition(":")
    return int(text) if text.isdigit() else 0


def measure_choices(partnership_id: int) -> list[tuple[str, str]]:
    """The workforce measures a recommendation may be linked to, each saying its kind."""
    return [
        (value, kind.label(words))
        for kind in (COURSE, PRODUCT)
        for value, words in kind.choices(partnership_id)
    ]


def course_choices(partnership_id: int) -> list[tuple[str, str]]:
    return [
        (f"course:{pk}", title)
        for pk, title in Course.objects.filter(partnership_id=partnership_id).values_list(
            "pk", "title"
        )
    ]


def product_choices(partnership_id: int) -> list[tuple[str, str]]:
    return [
        (f"product:{pk}", title)
        for pk, title in LearningProduct.objects.filter(partnership_id=partnership_id).values_list(
            "pk", "title"
        )
    ]


def _reach_side(window: Sequence[Month], reach: Reach) -> Side:
    if not reach.workforce:
        return Side(span(window), words="no workforce declared")
    return Side(span(window), reach.attendees, reach.workforce)


def course_impact(partnership_id: int, measure: str, accepted: date, as_at: date) -> dict | None:
    """Distinct attendees over the declared workforce in the 12 months before acceptance
    against the complete months since: tested only once 12 months have passed (a shorter
    window reaches fewer people whatever the change); each month's 12-month reach charted."""
    course = Course.objects.filter(partnership_id=partnership_id, pk=_pk(measure)).first()
    if course is None:
        return None
    before, since = windows(accepted, as_at)
    months = []
    for month in before + since:
        reach = reach_of(
            partnership_id, [course], add_months(month.end, -12) + timedelta(days=1), month.end
        )[0].total
        months.append(
            month_row(
                month,
                reach.share,
                str(reach.workforce or 0),
                words="" if reach.workforce else "No workforce declared",
            )
        )
    sides = [
        _reach_side(w, reach_of(partnership_id, [course], w[0].start, w[-1].end)[0].total)
        if w
        else Side("")
        for w in (before, since)
    ]
    return compare(
        {
            "id": measure,
            "title": f"Reach of the course “{course.title}”",
            "target": course.target,
            "months": months,
            "about": "Each month: distinct attendees in the 12 months to its end, of the "
            "declared workforce.",
        },
        *sides,
        nothing_before="No test: no workforce was declared, or nobody counted, in the 12 months "
        "before the recommendation was accepted.",
        nothing_since="No test: no complete month since the recommendation was accepted, or no "
        "workforce declared.",
        no_test=""
        if len(since) >= 12
        else f"No test yet: reach counts attendees over 12 months, and {len(since)} complete "
        f"month{'' if len(since) == 1 else 's'} have passed since the recommendation was "
        "accepted.",
    )


def _reached(sharing: list[AgencySharing]) -> Side:
    """Staff reached over the declared workforce of the agencies declaring one."""
    workforce = sum(s.workforce or 0 for s in sharing)
    reached = sum(s.reached for s in sharing if s.workforce)
    return Side("", reached, workforce, words="" if workforce else "no workforce declared")


def product_impact(partnership_id: int, measure: str, accepted: date, as_at: date) -> dict | None:
    """The share of the declared workforce reached by the day of acceptance against by the end
    of the latest complete month since. Compared, not tested: dissemination is cumulative, so
    the later figure contains the earlier."""
    product = LearningProduct.objects.filter(partnership_id=partnership_id, pk=_pk(measure)).first()
    if product is None:
        return None
    before, since = windows(accepted, as_at)
    months = []
    for month in before + since:
        side = _reached(sharing_of(partnership_id, product, month.end))
        months.append(month_row(month, side.value, str(side.total), words=side.words.capitalize()))
    at_acceptance = _reached(sharing_of(partnership_id, product, accepted))
    latest = _reached(sharing_of(partnership_id, product, since[-1].end)) if since else Side("")
    return compare(
        {
            "id": measure,
            "title": f"Dissemination of “{product.title}”",
            "target": PRODUCT_TARGET,
            "months": months,
            "about": "Each month: staff reached by the agencies' dissemination by its end, of "
            "their declared workforce.",
        },
        replace(at_acceptance, span=f"by {accepted:%-d %b %Y}"),
        replace(latest, span=f"by {since[-1].end:%-d %b %Y}") if since else latest,
        nothing_before="No comparison: no workforce was declared by the day the recommendation "
        "was accepted.",
        nothing_since="No comparison: no complete month since the recommendation was accepted, "
        "or no workforce declared.",
        no_test="No test of chance: dissemination is cumulative, so the later figure includes "
        "the staff reached before.",
    )


COURSE = Kind(
    "course:",
    "Course reach",
    ("workforce", "view"),
    course_choices,
    monthly=course_measure,
    impact=course_impact,
)
PRODUCT = Kind(
    "product:",
    "Dissemination",
    ("workforce", "view"),
    product_choices,
    monthly=product_measure,
    impact=product_impact,
)
