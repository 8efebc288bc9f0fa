"""Pages for workforce learning: products and their dissemination, workforce, courses, reach."""

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assure.core.calendar import add_months
from assure.core.permissions import Scope
from assure.core.viewer import Viewer, viewer_of
from assure.reviews.evidence import EvidenceRejected
from assure.workforce import selectors, services
from assure.workforce.forms import (
    CourseForm,
    DeclarationForm,
    DisseminationForm,
    PeriodForm,
    ProductForm,
    TrainingUploadForm,
)
from assure.workforce.models import Course, Dissemination, StoredFile, WorkforceRole


def _period(request: HttpRequest) -> tuple[PeriodForm, date, date]:
    """The period asked for; by default the 12 months up to today."""
    form = PeriodForm(request.GET or None)
    today = timezone.localdate()
    end, start = today, add_months(today, -12) + timedelta(days=1)
    if form.is_bound and form.is_valid():
        end = form.cleaned_data.get("end") or end
        start = form.cleaned_data.get("start") or add_months(end, -12) + timedelta(days=1)
    return form, start, end


def _agencies(viewer: Viewer) -> Any:
    """The agencies this person records for: their own, or all with partnership scope."""
    every = selectors.agencies(viewer)
    if viewer.scope("workforce", "record") >= Scope.PARTNERSHIP:
        return every
    return every.filter(pk=viewer.agency_id or 0)


@require_GET
@login_required
def overview(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    viewer.require("workforce", "view")
    form, start, end = _period(request)
    return render(
        request,
        "workforce/overview.html",
        {
            "title": "Workforce learning",
            "form": form,
            "start": start,
            "end": end,
            "products": selectors.products(viewer).prefetch_related("disseminations"),
            "reach": selectors.all_reach(viewer, start, end),
            "imports": selectors.imports(viewer, 5),
            "may_manage": viewer.can("workforce", "manage"),
            "may_record": viewer.can("workforce", "record"),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def new_product(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    viewer.require("workforce", "manage", record_type="workforce.learningproduct")
    form = ProductForm(
        request.POST or None,
        request.FILES or None,
        reviews=selectors.reviews(viewer),
        recommendations=selectors.recommendations(viewer),
        initial={"published_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            product = services.publish_product(
                viewer,
                title=data["title"],
                kind=data["kind"],
                published_on=data["published_on"],
                review=data["review"],
                recommendations=list(data["recommendations"]),
                link=data["link"],
                upload=data["upload"],
            )
        except EvidenceRejected as error:
            form.add_error("upload", str(error))
        except services.Refused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"“{product.title}” published")
            return redirect("workforce:product", pk=product.pk)
    return render(
        request,
        "workforce/form.html",
        {"title": "Publish a learning product", "form": form, "button": "Publish", "files": True},
    )


def _dissemination_form(request: HttpRequest, viewer: Viewer) -> DisseminationForm | None:
    if not viewer.can("workforce", "record"):
        return None
    return DisseminationForm(
        request.POST or None,
        request.FILES or None,
        agencies=_agencies(viewer),
        initial={"agency": viewer.agency_id, "date": timezone.localdate()},
    )


def _product_page(
    request: HttpRequest, viewer: Viewer, item: Any, form: DisseminationForm | None
) -> HttpResponse:
    sharing = selectors.product_sharing(viewer, item, timezone.localdate())
    return render(
        request,
        "workforce/product.html",
        {
            "title": item.title,
            "product": item,
            "sharing": sharing,
            "overall": selectors.dissemination_share(sharing),
            "form": form,
            "methods": dict(Dissemination.Method.choices),
            "may_download": lambda record: viewer.can(
                "evidence", "download", agency_id=record.agency_id
            ),
        },
    )


@require_GET
@login_required
def product(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_of(request)
    viewer.require("workforce", "view")
    item = get_object_or_404(selectors.products(viewer), pk=pk)
    return _product_page(request, viewer, item, _dissemination_form(request, viewer))


@require_POST
@login_required
def disseminate(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_of(request)
    viewer.require("workforce", "record", record_type="workforce.learningproduct")
    item = get_object_or_404(selectors.products(viewer), pk=pk)
    form = _dissemination_form(request, viewer)
    assert form is not None
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.record_dissemination(
                viewer,
                item,
                agency=data["agency"],
                on=data["date"],
                methods=data["methods"],
                staff_reached=data["staff_reached"],
                upload=data["upload"],
            )
        except EvidenceRejected as error:
            form.add_error("upload", str(error))
        except services.Refused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Dissemination recorded")
            return redirect("workforce:product", pk=item.pk)
    return _product_page(request, viewer, item, form)


@require_GET
@login_required
def product_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    viewer = viewer_of(request)
    item = get_object_or_404(selectors.products(viewer).exclude(stored_name=""), pk=pk)
    services.record_product_download(viewer, item)
    return _download(item)


@require_GET
@login_required
def proof(request: HttpRequest, pk: int) -> HttpResponseBase:
    viewer = viewer_of(request)
    record = get_object_or_404(selectors.disseminations(viewer).exclude(stored_name=""), pk=pk)
    services.record_proof_download(viewer, record)
    return _download(record)


def _download(stored: StoredFile) -> FileResponse:
    """A kept file as an attachment, under the name it was uploaded with."""
    return FileResponse(
        stored.file.open("rb"),
        as_attachment=True,
        filename=stored.original_name,
        content_type=stored.content_type,
    )


def _declaration_form(request: HttpRequest, viewer: Viewer) -> DeclarationForm | None:
    if not viewer.can("workforce", "record"):
        return None
    return DeclarationForm(
        request.POST or None,
        agencies=_agencies(viewer),
        initial={"agency": viewer.agency_id, "as_of": timezone.localdate()},
    )


def _workforce_page(
    request: HttpRequest, viewer: Viewer, form: DeclarationForm | None
) -> HttpResponse:
    current = selectors.workforce_on(viewer.partnership_id, timezone.localdate())
    names = {a.pk: a.name for a in selectors.agencies(viewer)}
    roles = dict(WorkforceRole.choices)
    rows = sorted(
        ((names.get(a, ""), roles[r], n) for (a, r), n in current.items()),
        key=lambda row: (row[0], row[1]),
    )
    return render(
        request,
        "workforce/workforce.html",
        {
            "title": "Declared workforce",
            "rows": rows,
            "history": selectors.declarations(viewer)[:50],
            "form": form,
        },
    )


@require_GET
@login_required
def workforce(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    viewer.require("workforce", "view")
    return _workforce_page(request, viewer, _declaration_form(request, viewer))


@require_POST
@login_required
def declare(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    viewer.require("workforce", "record", record_type="workforce.workforcedeclaration")
    form = _declaration_form(request, viewer)
    assert form is not None
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.declare_workforce(
                viewer,
                agency=data["agency"],
                role=data["role"],
                headcount=data["headcount"],
                as_of=data["as_of"],
            )
        except services.Refused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Workforce recorded")
            return redirect("workforce:workforce")
    return _workforce_page(request, viewer, form)


def _course_form(request: HttpRequest, viewer: Viewer, item: Course) -> CourseForm | None:
    if not viewer.can("workforce", "manage"):
        return None
    return CourseForm(
        request.POST or None,
        recommendations=selectors.recommendations(viewer),
        initial={
            "recommendations": list(item.recommendations.all()),
            "roles": item.roles,
            "target": round(item.target * 100),
        },
    )


def _course_page(
    request: HttpRequest, viewer: Viewer, item: Course, edit: CourseForm | None
) -> HttpResponse:
    form, start, end = _period(request)
    return render(
        request,
        "workforce/course.html",
        {
            "title": item.title,
            "course": item,
            "form": form,
            "edit": edit,
            "reach": selectors.course_reach(viewer, item, start, end),
            "confidence": selectors.course_confidence(viewer.partnership_id, item, start, end),
            "linked": list(item.recommendations.select_related("review")),
        },
    )


@require_GET
@login_required
def course(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_of(request)
    viewer.require("workforce", "view")
    item = get_object_or_404(selectors.courses(viewer), pk=pk)
    return _course_page(request, viewer, item, _course_form(request, viewer, item))


@require_POST
@login_required
def edit_course(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_of(request)
    viewer.require("workforce", "manage", record_type="workforce.course")
    item = get_object_or_404(selectors.courses(viewer), pk=pk)
    edit = _course_form(request, viewer, item)
    assert edit is not None
    if edit.is_valid():
        data = edit.cleaned_data
        try:
            services.edit_course(
                viewer,
                item,
                recommendations=list(data["recommendations"]),
                roles=data["roles"],
                target=data["target"] / 100,
            )
        except services.Refused as error:
            edit.add_error(None, str(error))
        else:
            messages.success(request, "Course saved")
            return redirect("workforce:course", pk=item.pk)
    return _course_page(request, viewer, item, edit)


@require_http_methods(["GET", "POST"])
@login_required
def training_import(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    viewer.require("workforce", "manage", record_type="workforce.trainingimport")
    form = TrainingUploadForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["upload"]
        result = services.import_training(viewer, upload.name or "attendance.csv", upload.read())
        if result.ok:
            messages.success(request, f"{result.rows} attendance rows imported from {result.name}")
            return redirect(reverse("workforce:overview"))
    return render(
        request,
        "workforce/import.html",
        {"title": "Import training attendance", "form": form, "result": result},
    )
