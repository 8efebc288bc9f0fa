"""Courses' reach and products' dissemination as a recommendation's measures.

A measure id "course:<id>" is the course's reach over the 12 months up to each month's end;
"product:<id>" is the share of the declared workforce the product's dissemination has reached
by each month's end. Each is judged against the course's or product's target, so they feed
the embedded rule (`reviews.measures`) as the indicators do.
"""

from collections.abc import Sequence
from datetime import timedelta

from assure.core.calendar import add_months
from assure.indicators.engine import Columns, Indicator, Window
from assure.indicators.selectors import Month
from assure.reviews.measures import MeasureRecord, MonthValue, Provider
from assure.workforce.models import Course, LearningProduct
from assure.workforce.selectors import dissemination_share, reach_of, sharing_of

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


MEASURES: dict[str, Provider] = {"course": course_measure, "product": product_measure}


def measure_choices(partnership_id: int) -> list[tuple[str, str]]:
    """The workforce measures a recommendation may be linked to."""
    return [
        (f"course:{pk}", f"Course reach: {title}")
        for pk, title in Course.objects.filter(partnership_id=partnership_id).values_list(
            "pk", "title"
        )
    ] + [
        (f"product:{pk}", f"Dissemination: {title}")
        for pk, title in LearningProduct.objects.filter(partnership_id=partnership_id).values_list(
            "pk", "title"
        )
    ]
