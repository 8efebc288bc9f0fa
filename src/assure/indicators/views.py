"""Tracker pages. Child-level pages are for children's services roles only; views are audited."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from assure.core import audit, permissions


@require_GET
@login_required
def weekly(request: HttpRequest) -> HttpResponse:
    """What falls due in the next 7 days and what is overdue, by team (child-level)."""
    permissions.require(
        request.user, "case_data", "view", child_level=True, record_type="tracker.weekly"
    )
    audit.record(request.user, audit.Action.VIEW, record_type="tracker.weekly")
    return render(request, "indicators/weekly.html", {"title": "Weekly tracker", "teams": []})
