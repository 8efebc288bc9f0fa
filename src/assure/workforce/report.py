"""The assurance report's workforce learning section: training reach in the quarter and the
dissemination of learning products, counts of staff (never a person) as the workforce pages
show them. Attendance after the as-at day, and dissemination recorded after it, are left out.
"""

from typing import Any

from assure.reports.build import Context, section
from assure.workforce import selectors
from assure.workforce.models import Attendance, Course, Dissemination, LearningProduct


def _share(reach: selectors.Reach) -> dict[str, Any]:
    return {
        "name": reach.name,
        "attendees": reach.attendees,
        "workforce": reach.workforce,
        "share": reach.share,
        "undeclared": reach.undeclared,
    }


def _courses(ctx: Context) -> list[dict[str, Any]]:
    """Courses with attendance in the quarter up to the as-at day, with their reach then."""
    start, end = ctx.quarter.start, ctx.as_at
    attended = Attendance.objects.filter(
        partnership=ctx.partnership, attended=True, session_date__range=(start, end)
    ).values("course_id")
    chosen = Course.objects.filter(pk__in=attended).order_by("title")
    return [
        {
            "title": found.course.title,
            "target": found.course.target,
            "total": _share(found.total),
            "by_agency": [_share(r) for r in found.by_agency],
        }
        for found in selectors.reach_of(ctx.partnership.pk, chosen, start, end)
    ]


def _products(ctx: Context) -> list[dict[str, Any]]:
    """Products disseminated in the quarter: each agency's staff reached by the as-at day."""
    shared = Dissemination.objects.filter(
        partnership=ctx.partnership, date__range=(ctx.quarter.start, ctx.as_at)
    ).values("product_id")
    rows = []
    for product in LearningProduct.objects.filter(pk__in=shared).order_by("title"):
        sharing = selectors.sharing_of(ctx.partnership.pk, product, ctx.as_at)
        rows.append(
            {
                "title": product.title,
                "kind": product.get_kind_display(),
                "share": selectors.dissemination_share(sharing),
                "agencies": [
                    {"name": s.agency.name, "reached": s.reached, "workforce": s.workforce}
                    for s in sharing
                    if s.records
                ],
            }
        )
    return rows


@section("workforce", "Workforce learning")
def workforce(ctx: Context) -> dict[str, Any] | None:
    courses, products = _courses(ctx), _products(ctx)
    if not (courses or products):
        return None
    return {"from": ctx.quarter.start, "to": ctx.as_at, "courses": courses, "products": products}
