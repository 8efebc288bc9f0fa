"""Reads of kept reports and asked-for ones, scoped to the viewer's partnership."""

from django.db.models import QuerySet
from django.http import Http404

from assure.core.viewer import Viewer
from assure.reports.models import Report, ReportRequest


def reports_for(viewer: Viewer) -> QuerySet[Report]:
    viewer.require("report", "view", record_type="reports.report")
    return Report.objects.filter(partnership_id=viewer.partnership_id).select_related("made_by")


def report_for(viewer: Viewer, pk: int) -> Report:
    viewer.require("report", "view", record_type="reports.report", record_id=pk)
    found = reports_for(viewer).select_related("snapshot").filter(pk=pk).first()
    if found is None:
        raise Http404("No such report")
    return found


def waiting_for(viewer: Viewer) -> list[ReportRequest]:
    """Reports asked for in the partnership and not made yet (newest first)."""
    viewer.require("report", "view", record_type="reports.report")
    return list(
        ReportRequest.objects.filter(partnership_id=viewer.partnership_id, report__isnull=True)
        .select_related("asked_by")
        .order_by("-asked_at", "-id")[:20]
    )
