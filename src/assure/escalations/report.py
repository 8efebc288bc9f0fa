"""The assurance report's escalation and commissioned services sections.

Escalations: the quarter's figures as the dashboard computes them (`figures.compute`, judged
as at the report's as-at day, anything dated after it ignored): counts only, never a child's
id, a concern, a note or learning. Commissioned services: each service's return for the
quarter (its status as it stood at the as-at day), its referrals, the timeliness of the
assessments and reports commissioned, and its last four quarters.
"""

from typing import Any

from django.db.models import Q

from assure.core.calendar import add_months
from assure.escalations import figures, returns
from assure.escalations.models import CommissionedService, ServiceReturn
from assure.reports.build import Context, section

TREND_QUARTERS = 4


@section("escalations", "Professional challenge and escalation")
def escalations(ctx: Context) -> dict[str, Any] | None:
    found = figures.compute(ctx.partnership.pk, ctx.quarter.start, ctx.as_at)
    counted_stages = sum(sum(s.values()) for s in found.stages.values())
    if not (found.raised or found.ended or counted_stages):
        return None
    return {
        "from": ctx.quarter.start,
        "to": ctx.as_at,
        "raised": found.raised,
        "ended": found.ended,
        "resolved": found.resolved,
        "resolved_at_stage_1": found.resolved_at_stage_1,
        "share_resolved_at_stage_1": found.share_resolved_at_stage_1,
        "median_working_days": found.median_working_days_to_resolve,
        "stages": [
            {"stage": number, **counts}
            for number, counts in found.stages.items()
            if sum(counts.values())
        ],
        "stages_on_time": found.stages_on_time,
        "by_raising_agency": [{"name": n, "count": c} for n, c in found.by_raising_agency],
        "by_about_agency": [{"name": n, "count": c} for n, c in found.by_about_agency],
        "by_category": [{"name": n, "count": c} for n, c in found.category_rows()],
    }


STATUS_WORDS = {
    ServiceReturn.Status.SIGNED_OFF: "Signed off",
    ServiceReturn.Status.SENT_BACK: "Sent back with questions",
    ServiceReturn.Status.SUBMITTED: "Awaiting sign-off",
}


def _status_then(service_return: ServiceReturn, ctx: Context) -> str:
    """The return's status at the report's moment: a decision made after it is not yet made."""
    decided = service_return.decided_at
    if decided is not None and decided >= ctx.moment:
        return STATUS_WORDS[ServiceReturn.Status.SUBMITTED]
    return STATUS_WORDS[ServiceReturn.Status(service_return.status)]


@section("services", "Commissioned services")
def services(ctx: Context) -> dict[str, Any] | None:
    start = ctx.quarter.start
    first = add_months(start, -3 * (TREND_QUARTERS - 1))
    found = list(
        CommissionedService.objects.filter(
            partnership=ctx.partnership, contract_start__lte=ctx.as_at
        )
        .filter(Q(contract_end__isnull=True) | Q(contract_end__gte=start))
        .select_related("provider")
        .order_by("name")
    )
    if not found:
        return None
    by_service: dict[int, list[ServiceReturn]] = {}
    for service_return in (
        ServiceReturn.objects.filter(
            service__in=found,
            quarter__range=(first, start),
            submitted_at__lt=ctx.moment,
        )
        .prefetch_related("referrals", "commissions")
        .order_by("quarter")
    ):
        by_service.setdefault(service_return.service_id, []).append(service_return)
    out = []
    for service in found:
        trend = returns.trend(by_service.get(service.pk, []))
        this = next((q for q in trend if q.service_return.quarter == start), None)
        out.append(
            {
                "name": service.name,
                "provider": service.provider.name,
                "status": _status_then(this.service_return, ctx) if this else "No return yet",
                "quarter": _figures(this) if this else None,
                "trend": [_figures(q) for q in trend],
            }
        )
    return {"services": out}


def _figures(q: returns.QuarterFigures) -> dict[str, Any]:
    return {
        "quarter": returns.quarter_label(q.service_return.quarter),
        "received": q.received,
        "accepted": q.accepted,
        "accepted_share": q.accepted_share,
        "met": q.met,
        "late": q.late,
        "overdue": q.overdue,
        "upcoming": q.upcoming,
        "on_time": q.on_time,
        "escalations": q.escalations,
    }
