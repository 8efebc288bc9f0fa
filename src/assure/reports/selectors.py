"""Reads of kept reports and asked-for ones, scoped to the viewer's partnership."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from assure.core.viewer import Viewer
from assure.reports import services
from assure.reports.models import LinkEmail, Report, ReportRequest


def reports_for(viewer: Viewer) -> QuerySet[Report]:
    viewer.require("report", "view", record_type="reports.report")
    return Report.objects.filter(partnership_id=viewer.partnership_id).select_related("made_by")


def report_for(viewer: Viewer, pk: int) -> Report:
    viewer.require("report", "view", record_type="reports.report", record_id=pk)
    found = reports_for(viewer).select_related("snapshot").filter(pk=pk).first()
    if found is None:
        raise Http404("No such report")
    return found


@dataclass(frozen=True)
class Emailed:
    """Where the email of a report's link to one person stands after its latest try."""

    name: str
    outcome: str
    tries: int
    at: datetime  # the latest try, local time
    next_try_at: datetime | None


def emails_of(viewer: Viewer, report: Report) -> list[Emailed]:
    """Each person emailed the report's link (or being tried), by name."""
    viewer.require("report", "view", record_type="reports.report", record_id=report.pk)
    latest: dict[int, LinkEmail] = {}
    for tried in LinkEmail.objects.filter(report=report).select_related("recipient"):
        latest[tried.recipient_id] = tried  # ordered by try: the last one stands
    return sorted(
        (
            Emailed(
                t.recipient.get_full_name() or t.recipient.get_username(),
                t.get_outcome_display(),
                t.attempt,
                timezone.localtime(t.tried_at),
                timezone.localtime(t.next_try_at) if t.next_try_at else None,
            )
            for t in latest.values()
        ),
        key=lambda e: e.name,
    )


def stale_words(minutes: int) -> str:
    return (
        f"The report was still not made {minutes} minutes after it was asked for: Assure's "
        "background worker may have stopped. Try again; if it fails again, tell your Assure "
        "administrator."
    )


@dataclass(frozen=True)
class Unmade:
    """A report asked for and not made: still being made, or failed and why in plain words."""

    request: ReportRequest
    failed: bool
    reason: str

    @property
    def asked_at(self) -> datetime:
        """When it was asked for, in local time (the page says "9:00", not UTC's "8:00")."""
        return timezone.localtime(self.request.asked_at)


def unmade_for(viewer: Viewer) -> list[Unmade]:
    """Reports asked for in the partnership and not made (newest first): those being made,
    and those that failed or went stale, until tried again or made since by another request."""
    viewer.require("report", "view", record_type="reports.report")
    asked = list(
        ReportRequest.objects.filter(
            partnership_id=viewer.partnership_id, report__isnull=True, retry__isnull=True
        )
        .select_related("asked_by", "failure")
        .order_by("-asked_at", "-id")[:50]
    )
    minutes = settings.ASSURE_REPORT_STALE_MINUTES
    made = defaultdict(list)
    if asked:
        for period, fmt, at in Report.objects.filter(
            partnership_id=viewer.partnership_id, made_at__gte=asked[-1].asked_at
        ).values_list("period", "format", "made_at"):
            made[period, fmt].append(at)
    shown = []
    for request in asked:
        failure = getattr(request, "failure", None)
        if failure is None and not services.is_stale(request):
            shown.append(Unmade(request, False, ""))
            continue
        if any(at >= request.asked_at for at in made[request.period, request.format]):
            continue  # made since by asking again from the form
        reason = failure.reason if failure else stale_words(minutes)
        shown.append(Unmade(request, True, reason))
    return shown[:20]
