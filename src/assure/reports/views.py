"""Reports pages: the list (and the form to make one), one report's stamp, and its file."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.csp import CSP
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assure.core import audit
from assure.core.viewer import viewer_of
from assure.reports import render as document
from assure.reports import selectors, services
from assure.reports.forms import ReportForm
from assure.reports.models import Format, ReportRequest
from assure.reports.periods import BadPeriod, Quarter, last_ended


@require_GET
@login_required
def reports(request: HttpRequest) -> HttpResponse:
    """Every report made for the partnership, newest first, and those being made."""
    viewer = viewer_of(request)
    return render(
        request,
        "reports/list.html",
        {
            "title": "Reports",
            "reports": list(selectors.reports_for(viewer)[:200]),
            "unmade": selectors.unmade_for(viewer),
            "may_make": viewer.can("report", "make"),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def make(request: HttpRequest) -> HttpResponse:
    """Ask for a report of a quarter; the worker makes it in the background."""
    viewer = viewer_of(request)
    viewer.require("report", "make", record_type="reports.report")
    initial = {"period": str(last_ended(timezone.localdate())), "format": Format.PDF}
    form = ReportForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        period = form.cleaned_data["period"]
        try:
            services.ask_for_report(viewer, period=period, fmt=form.cleaned_data["format"])
        except BadPeriod as error:
            form.add_error("period", str(error))
        else:
            messages.success(
                request,
                f"The {period} report is being made. It appears in the list below when it is "
                "ready: refresh the page in a minute.",
            )
            return redirect("reports:list")
    return render(
        request,
        "reports/make.html",
        {
            "title": "Make a report",
            "form": form,
            "this_quarter": str(Quarter.of(timezone.localdate())),
        },
    )


@require_POST
@login_required
def again(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask again for a report that could not be made."""
    viewer = viewer_of(request)
    try:
        asked = services.try_again(viewer, pk)
    except ReportRequest.DoesNotExist as missing:
        raise Http404("No such report request") from missing
    if asked is None:
        messages.info(
            request, "That report is still being made, has been made, or was asked for again."
        )
    else:
        messages.success(
            request,
            f"The {asked.period} report is being made again. It appears in the list below "
            "when it is ready: refresh the page in a minute.",
        )
    return redirect("reports:list")


@require_GET
@login_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    """A report's stamp, and links to open and download it."""
    viewer = viewer_of(request)
    found = selectors.report_for(viewer, pk)
    return render(
        request,
        "reports/report.html",
        {
            "title": f"Report {found.period}",
            "report": found,
            "emails": selectors.emails_of(viewer, found),
        },
    )


@require_GET
@login_required
def report_file(request: HttpRequest, pk: int) -> FileResponse:
    """The report's file as it was made: opened in the browser, or downloaded (?download=1)."""
    viewer = viewer_of(request)
    found = selectors.report_for(viewer, pk)
    download = request.GET.get("download") == "1"
    audit.record(
        viewer.user,
        audit.Action.EXPORT if download else audit.Action.VIEW,
        found,
        summary=f"{'Downloaded' if download else 'Opened'} the {found.period} report",
    )
    response = FileResponse(
        found.file.open("rb"),
        as_attachment=download,
        filename=found.file_name,
        content_type="application/pdf"
        if found.format == Format.PDF
        else "text/html; charset=utf-8",
    )
    # The HTML report holds its own style element and no script: allow exactly that style.
    response._csp_config = {  # type: ignore[attr-defined]
        "default-src": [CSP.NONE],
        "style-src": [document.style_hash()],
        "img-src": ["data:"],
        "frame-ancestors": [CSP.NONE],
        "base-uri": [CSP.NONE],
        "form-action": [CSP.NONE],
    }
    return response
