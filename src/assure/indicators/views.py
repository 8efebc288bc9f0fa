"""Tracker pages. Child-level pages are for children's services roles only; views are audited.

Partner agencies see aggregate figures, through a `Disclosure` (no figures by worker, small
counts as "fewer than 5"); anything naming a child (the list behind a figure, the weekly
tracker) needs child-level access and every view of it is audited.
"""

from collections.abc import Sequence
from datetime import date
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from assure.core import audit
from assure.core.forms import BoundedDateField
from assure.core.viewer import viewer_of
from assure.indicators import charts, selectors
from assure.indicators.disclosure import Disclosure
from assure.indicators.engine import REGISTRY, Indicator, load_catalogue
from assure.indicators.figures import catalogue_figures, indicator_figures, weekly_rows

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d %m %Y", "%d-%m-%Y"]
CHILDREN_PER_PAGE = 100


class WindowForm(forms.Form):
    """The reporting window: `from` and `to` (both optional; blank means the default)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, label in (("from", "From"), ("to", "To")):
            self.fields[name] = BoundedDateField(
                label=label,
                required=False,
                input_formats=DATE_FORMATS,
                error_messages={"invalid": f"{label} must be a real date"},
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("from"), cleaned.get("to")
        if start and end and start > end:
            self.add_error("to", "To must be the same as or after from")
        return cleaned


class StatusForm(WindowForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"] = forms.ChoiceField(
            label="Status",
            required=False,
            choices=[("", "All counted")]
            + [(s, label) for s, label in selectors.STATUS_LABELS.items()],
            error_messages={"invalid_choice": "Select a status from the list"},
        )


def _indicator(indicator_id: str) -> Indicator:
    load_catalogue()
    try:
        return REGISTRY[indicator_id]
    except KeyError:
        raise Http404("No such indicator") from None


def _window(form: WindowForm, partnership_id: int) -> tuple[selectors.ReportWindow, Any, str]:
    """The window asked for (the default when the form has errors), snapshot and query string."""
    snapshot = selectors.current_snapshot(partnership_id)
    start: date | None = None
    end: date | None = None
    if form.is_bound and not (form.has_error("from") or form.has_error("to")):
        start, end = form.cleaned_data.get("from"), form.cleaned_data.get("to")
    window = selectors.window_for(snapshot, start, end)
    if window.start > window.end:  # only `from` given, and after the latest extract
        form.add_error("from", f"From must be on or before {window.end:%-d %B %Y}")
        window = selectors.window_for(snapshot)
    query = f"from={window.start.isoformat()}&to={window.end.isoformat()}"
    return window, snapshot, query


@require_GET
@login_required
def catalogue(request: HttpRequest) -> HttpResponse:
    """Every indicator's value against its target for the window (aggregates only)."""
    viewer = viewer_of(request)
    viewer.require("case_data", "view", record_type="indicator.catalogue")
    partnership_id = viewer.partnership_id
    form = WindowForm(request.GET or None)
    window, snapshot, query = _window(form, partnership_id)
    results = catalogue_figures(snapshot, window.start, window.end) if snapshot else []
    disclosure = Disclosure.for_viewer(viewer)
    return render(
        request,
        "indicators/catalogue.html",
        {
            "title": "Trackers",
            "form": form,
            "window": window,
            "snapshot": snapshot,
            "results": [(r, disclosure.row(r)) for r in results],
            "query": query,
            "child_level": disclosure.exact,
            "disclosure": disclosure,
        },
    )


@require_GET
@login_required
def indicator(request: HttpRequest, indicator_id: str) -> HttpResponse:
    """One indicator: its definition, 12-month trend and breakdown by team and worker."""
    viewer = viewer_of(request)
    viewer.require("case_data", "view", record_type="indicator", record_id=indicator_id)
    found = _indicator(indicator_id)
    partnership_id = viewer.partnership_id
    form = WindowForm(request.GET or None)
    window, snapshot, query = _window(form, partnership_id)
    disclosure = Disclosure.for_viewer(viewer)
    child_level = disclosure.exact
    page = None
    chart = None
    if snapshot:
        scope = viewer.team_scope if child_level else None
        stored = indicator_figures(snapshot, found, window)
        figures = selectors.PageFigures.from_json(stored.figures)
        page = selectors.indicator_page(found, window, figures, scope, disclosure)
        chart = charts.indicator_trend(page, stored.charts)
    return render(
        request,
        "indicators/indicator.html",
        {
            "title": found.title,
            "indicator": page.indicator if page else found,
            "form": form,
            "window": window,
            "snapshot": snapshot,
            "page": page,
            "timescale": selectors.indicator_timescale(found, window.end),
            "chart": chart,
            "query": query,
            "child_level": child_level,
            "disclosure": disclosure,
        },
    )


@require_GET
@login_required
def children(request: HttpRequest, indicator_id: str) -> HttpResponse:
    """The children behind an indicator's figure (child-level; every view is audited)."""
    viewer = viewer_of(request)
    viewer.require(
        "case_data",
        "view",
        child_level=True,
        record_type="indicator.children",
        record_id=indicator_id,
    )
    found = _indicator(indicator_id)
    partnership_id = viewer.partnership_id
    form = StatusForm(request.GET or None)
    window, snapshot, query = _window(form, partnership_id)
    status = ""
    if form.is_bound and not form.has_error("status"):
        status = form.cleaned_data.get("status", "")
    rows: Sequence[selectors.ChildRow] = []
    scope: frozenset[str] | None = None
    if snapshot:
        scope = viewer.team_scope
        _, rows = selectors.children_seen_by(viewer, found, window, status)
    page = Paginator(rows, CHILDREN_PER_PAGE).get_page(request.GET.get("page"))
    audit.record_children(
        viewer,
        audit.Action.VIEW,
        [row.person_id for row in page.object_list],
        snapshot,
        team_scope=scope,
        record_type="indicator.children",
        record_id=indicator_id,
        summary=(
            f"Children behind {found.title}, {window.start.isoformat()} to "
            f"{window.end.isoformat()}"
            + (f", {selectors.STATUS_LABELS[status].lower()}" if status else "")
            + f": page {page.number}, {len(page.object_list)} of {len(rows)} rows"
        ),
    )
    return render(
        request,
        "indicators/children.html",
        {
            "title": f"{found.title}: children",
            "indicator": found,
            "form": form,
            "window": window,
            "snapshot": snapshot,
            "page": page,
            "status": status,
            "query": query,
        },
    )


@require_GET
@login_required
def weekly(request: HttpRequest) -> HttpResponse:
    """What falls due in the next 7 days and what is overdue, by team (child-level)."""
    viewer = viewer_of(request)
    viewer.require("case_data", "view", child_level=True, record_type="tracker.weekly")
    partnership_id = viewer.partnership_id
    snapshot = selectors.current_snapshot(partnership_id)
    data = None
    shown: list[selectors.WeeklyTeam] = []
    scope: frozenset[str] | None = None
    if snapshot:
        scope = viewer.team_scope
        data = selectors.weekly_seen_by(viewer, snapshot.extract_date, weekly_rows(snapshot))
        # One team's children at a time: a whole service's list is far too long for a page.
        chosen = request.GET.get("team")
        shown = [t for t in data.teams if len(data.teams) == 1 or t.name == chosen]
    if data is None:
        summary = "Weekly tracker: no case data"
    else:
        summary = (
            f"Weekly tracker as at {data.as_of.isoformat()}: {data.due_soon} due, "
            f"{data.overdue} overdue; "
            + (f"children listed for {shown[0].name}" if shown else "summary by team only")
        )
    audit.record_children(
        viewer,
        audit.Action.VIEW,
        [row.person_id for team in shown for row in (*team.due_soon, *team.overdue)],
        snapshot,
        team_scope=scope,
        record_type="tracker.weekly",
        summary=summary,
    )
    return render(
        request,
        "indicators/weekly.html",
        {"title": "Weekly tracker", "snapshot": snapshot, "data": data, "shown": shown},
    )
