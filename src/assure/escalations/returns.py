"""Commissioned services' returns in figures: referrals accepted, and the timeliness of the
assessments and reports commissioned, computed from their dates (section 3 statuses as at the
quarter's end: each belongs to the quarter of its due date), quarter by quarter."""

from dataclasses import dataclass
from datetime import date, timedelta

from markupsafe import Markup

from assure.core import calendar
from assure.escalations.figures import status
from assure.escalations.models import ServiceReturn
from assure.indicators.charts import Point, trend_svg


def quarter_end(quarter: date) -> date:
    return calendar.add_months(quarter, 3) - timedelta(days=1)


def quarter_label(quarter: date) -> str:
    """ "Apr–Jun 2026"."""
    return f"{quarter:%b}–{quarter_end(quarter):%b %Y}"


@dataclass(frozen=True)
class QuarterFigures:
    """One return's figures."""

    service_return: ServiceReturn
    received: int
    accepted: int
    met: int
    late: int
    overdue: int
    upcoming: int
    escalations: int

    @property
    def label(self) -> str:
        return quarter_label(self.service_return.quarter)

    @property
    def accepted_share(self) -> float | None:
        return self.accepted / self.received if self.received else None

    @property
    def on_time(self) -> float | None:
        counted = self.met + self.late + self.overdue
        return self.met / counted if counted else None


def quarter_figures(service_return: ServiceReturn) -> QuarterFigures:
    """From a return whose referrals and commissions are prefetched."""
    end = quarter_end(service_return.quarter)
    statuses = {"met": 0, "late": 0, "overdue": 0, "upcoming": 0}
    for commission in service_return.commissions.all():
        if commission.due < service_return.quarter:
            continue  # due in an earlier quarter: counted there
        statuses[status(commission.due, commission.delivered, end)] += 1
    referrals = list(service_return.referrals.all())
    return QuarterFigures(
        service_return,
        received=sum(r.received for r in referrals),
        accepted=sum(r.accepted for r in referrals),
        escalations=service_return.escalations,
        **statuses,
    )


def trend(returns: list[ServiceReturn]) -> list[QuarterFigures]:
    """Each return's figures, earliest quarter first."""
    return [quarter_figures(r) for r in sorted(returns, key=lambda r: r.quarter)]


def trend_chart(trend: list[QuarterFigures]) -> Markup | None:
    """Share of commissions delivered on time, quarter by quarter, or None with none due."""
    if not any(q.on_time is not None for q in trend):
        return None
    points = [Point(q.label, q.on_time) for q in trend]
    return trend_svg(
        points,
        None,
        "Chart of the share of assessments and reports delivered on time each quarter; the "
        "table below gives the same figures.",
    )
