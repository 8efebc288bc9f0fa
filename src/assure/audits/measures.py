"""An audit tool's grades as a recommendation's measure ("audit:<slug>"): the share of
finished audits graded good or outstanding, month by month.

`KIND` registers it with `reviews.measures` (when the app is ready). It is shown beside the
recommendation (`grades.audit_trends`) and compared in the assurance report, not judged by the
embedded rule: an audit month samples a handful of cases, too few to say a change has stuck.
"""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from assure.audits import grades
from assure.audits.models import Audit, Tool
from assure.reports.impact import pooled_months, windows
from assure.reviews.measures import Kind


def choices(partnership_id: int) -> list[tuple[str, str]]:
    return [
        (grades.measure_id(slug), name)
        for slug, name in Tool.objects.filter(partnership_id=partnership_id).values_list(
            "slug", "name"
        )
    ]


def impact(partnership_id: int, measure: str, accepted: date, as_at: date) -> dict | None:
    """Audits finished by the end of `as_at`, by the month audited: the 12 months before
    acceptance pooled against the complete months since (small counts hidden)."""
    slug = measure.removeprefix(grades.MEASURE_PREFIX)
    tool = Tool.objects.filter(partnership_id=partnership_id, slug=slug).first()
    if tool is None:
        return None
    before, since = windows(accepted, as_at)
    moment = timezone.make_aware(datetime.combine(as_at + timedelta(days=1), time.min))
    cells = grades.grade_counts(
        Audit.objects.filter(
            partnership_id=partnership_id,
            programme__tool_version__tool=tool,
            programme__month__gte=before[0].start,
            programme__month__lte=as_at,
            finished_at__lt=moment,
        )
    )
    counted = {
        date.fromisoformat(f"{month}-01"): (
            sum(n for g, n in counts.items() if g in grades.GOOD_OR_BETTER),
            sum(counts.values()),
        )
        for (_, _, month), counts in cells.items()
    }
    return pooled_months(
        {
            "id": measure,
            "title": f"Audit grades: {tool.name} (share graded good or outstanding)",
            "target": grades.TARGET,
            "about": "Each month audited: the share of finished audits graded good or "
            "outstanding, and how many were finished.",
        },
        before,
        since,
        counted,
        nothing_before="No test: no audit with this tool was finished for the 12 months before "
        "the recommendation was accepted.",
        nothing_since="No test: no audit with this tool finished for a complete month since "
        "the recommendation was accepted.",
    )


KIND = Kind(
    grades.MEASURE_PREFIX, "Audit grades", ("audit", "view"), choices, impact=impact, judged=False
)
