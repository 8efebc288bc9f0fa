"""Escalation and commissioned-service pages. Views are thin: permissions and reads through
selectors, writes through services. A single escalation is seen only by the two agencies'
leads and the partnership manager; its child's id only by child-level roles, each view of it
written to the audit trail."""

from datetime import date

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assure.audits.exports import table_response
from assure.core import audit
from assure.core.calendar import add_months
from assure.core.forms import show_errors
from assure.core.permissions import Scope
from assure.core.viewer import Viewer, viewer_of
from assure.escalations import charts, exports, figures, forms, returns, selectors, services
from assure.escalations.models import STAGE_WHO, CommissionedService, Escalation, ServiceReturn
from assure.surveys import measures as survey_measures

CHILD_SCOPE = "escalations between the viewer's agencies"


def _today() -> date:
    return timezone.localdate()


def _escalation(viewer: Viewer, pk: int, cell: str) -> Escalation:
    viewer.require("escalation", cell, record_type="escalations.escalation", record_id=pk)
    found = selectors.escalation(viewer, pk)
    if found is None:
        raise Http404("No such escalation")
    return found


# ---- the log ---------------------------------------------------------------------------------

LOG_PAGE_SIZE = 50


@require_GET
@login_required
def log(request: HttpRequest) -> HttpResponse:
    """The escalations between the viewer's agency and others (all, for the manager)."""
    viewer = viewer_of(request)
    viewer.require("escalation", "notes", record_type="escalations.log")
    show = request.GET.get("show", "open")
    found = selectors.escalations(viewer, open_only=show != "all")
    page = Paginator(found, LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "escalations/log.html",
        {
            "title": "Escalations",
            "page": page,
            "escalations": page.object_list,
            "total": page.paginator.count,
            "show": show,
            "today": _today(),
            "protocol": selectors.protocol(viewer.partnership_id),
            "may_record": viewer.can("escalation", "record"),
            "may_keep_protocol": viewer.can("escalation", "protocol"),
            "may_see_figures": viewer.can("escalation", "view"),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def new(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    scope = viewer.require("escalation", "record", record_type="escalations.escalation")
    agencies = selectors.agencies(viewer)
    raising = agencies if scope >= Scope.PARTNERSHIP else agencies.filter(pk=viewer.agency_id or 0)
    form = forms.EscalationForm(request.POST or None, raising=raising, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            escalation = services.record_escalation(
                viewer,
                raised_by_agency=data["raised_by_agency"],
                about_agency=data["about_agency"],
                category=data["category"],
                raised_date=data["raised_date"],
                raised_by_role=data["raised_by_role"],
                child_id=data["child_id"],
                concern=data["concern"],
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, f"Escalation {escalation.reference} recorded at stage 1.")
            return redirect("escalations:detail", escalation.pk)
    return render(
        request,
        "escalations/form.html",
        {
            "title": "Record an escalation",
            "form": form,
            "button": "Record it",
            "back": "escalations:log",
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The escalation, its stages and its notes; a POST adds a note."""
    viewer = viewer_of(request)
    escalation = _escalation(viewer, pk, "notes")
    if not services.may_see(viewer, escalation):
        services.refuse(viewer, "escalation.notes", escalation)
    note_form = forms.NoteForm(request.POST or None)
    if request.method == "POST" and note_form.is_valid():
        try:
            services.add_note(viewer, escalation, note_form.cleaned_data["text"])
        except ValidationError as error:
            show_errors(note_form, error)
        else:
            messages.success(request, "Note added.")
            return redirect("escalations:detail", escalation.pk)
    today = _today()
    stages = [
        (stage, figures.status(stage.due, stage.ended, today))
        for stage in selectors.stages(escalation)
    ]
    shows_child = bool(escalation.child_id) and viewer.can("case_data", "view", child_level=True)
    if shows_child:
        audit.record_children(
            viewer.user,
            audit.Action.VIEW,
            [escalation.child_id],
            None,
            team_scope=CHILD_SCOPE,
            instance=escalation,
            summary=f"Escalation {escalation.reference} with the child's id",
        )
    may_act = services.may_act_on(viewer, escalation)
    return render(
        request,
        "escalations/detail.html",
        {
            "title": str(escalation),
            "escalation": escalation,
            "stages": stages,
            "notes": selectors.notes(escalation),
            "note_form": note_form,
            "shows_child": shows_child,
            "may_act": may_act and escalation.is_open,
            "last_stage": stages[-1][0].number >= max(STAGE_WHO) if stages else True,
            "today": today,
        },
    )


def _escalation_form(
    request: HttpRequest, pk: int, form_class: type
) -> tuple[Viewer, Escalation, object]:
    """The escalation (for either agency's lead or the manager) and the form to move it."""
    viewer = viewer_of(request)
    escalation = _escalation(viewer, pk, "record")
    if not services.may_act_on(viewer, escalation):
        services.refuse(viewer, "escalation.record", escalation)
    return (
        viewer,
        escalation,
        form_class(request.POST or None, initial={"started": _today(), "ended": _today()}),
    )


@require_http_methods(["GET", "POST"])
@login_required
def next_stage(request: HttpRequest, pk: int) -> HttpResponse:
    viewer, escalation, form = _escalation_form(request, pk, forms.EscalateForm)
    assert isinstance(form, forms.EscalateForm)
    if request.method == "POST" and form.is_valid():
        try:
            stage = services.escalate(viewer, escalation, form.cleaned_data["started"])
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, f"Moved to stage {stage.number}: due {stage.due:%-d %B %Y}.")
            return redirect("escalations:detail", escalation.pk)
    return render(
        request,
        "escalations/form.html",
        {
            "title": f"Move {escalation} to the next stage",
            "form": form,
            "button": "Move it",
            "back_url": escalation,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def end(request: HttpRequest, pk: int) -> HttpResponse:
    viewer, escalation, form = _escalation_form(request, pk, forms.EndForm)
    assert isinstance(form, forms.EndForm)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.end_escalation(
                viewer,
                escalation,
                outcome=data["outcome"],
                ended=data["ended"],
                learning=data["learning"],
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, f"{escalation} ended: {escalation.get_outcome_display()}.")
            return redirect("escalations:detail", escalation.pk)
    return render(
        request,
        "escalations/form.html",
        {"title": f"End {escalation}", "form": form, "button": "End it", "back_url": escalation},
    )


# ---- figures ---------------------------------------------------------------------------------


def _window(request: HttpRequest) -> tuple[forms.WindowForm, date, date]:
    """The window asked for, else the last twelve months up to today."""
    today = _today()
    form = forms.WindowForm(request.GET or None)
    start = add_months(today.replace(day=1), -11)
    end = today
    if form.is_bound and form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
        if start > end:
            start = end
    return form, start, end


@require_GET
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    viewer.require("escalation", "view", record_type="escalations.figures")
    form, start, end = _window(request)
    found = figures.compute(viewer.partnership_id, start, end)
    months = [(f"{m:%b %Y}", n) for m, n in found.by_month]
    return render(
        request,
        "escalations/dashboard.html",
        {
            "title": "Escalation figures",
            "form": form,
            "figures": found,
            "months": months,
            "months_chart": charts.months_svg(months),
            "stages_chart": charts.stages_svg(found.stages),
            "stage_who": STAGE_WHO,
            "protocol": selectors.protocol(viewer.partnership_id),
            "awareness": survey_measures.awareness(viewer.partnership_id, end)
            if viewer.can("survey", "view")
            else None,
            "query": request.GET.urlencode(),
            "may_see_log": viewer.can("escalation", "notes"),
            "small_count": settings.SMALL_COUNT_THRESHOLD,
        },
    )


@require_GET
@login_required
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    viewer = viewer_of(request)
    viewer.require("escalation", "view", record_type="escalations.figures")
    if fmt not in ("csv", "xlsx"):
        raise Http404("Export as csv or xlsx")
    _, start, end = _window(request)
    found = figures.compute(viewer.partnership_id, start, end)
    audit.record(
        viewer.user,
        audit.Action.EXPORT,
        record_type="escalations.figures",
        summary=f"Escalation figures {start.isoformat()} to {end.isoformat()} as {fmt}",
    )
    return table_response(exports.HEADERS, exports.rows(found), fmt, f"escalations-{start}-{end}")


@require_http_methods(["GET", "POST"])
@login_required
def protocol(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    viewer.require("escalation", "protocol", record_type="escalations.protocol")
    form = forms.ProtocolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.add_protocol(viewer, **form.cleaned_data)
        messages.success(request, f"Version {form.cleaned_data['version']} of the protocol added.")
        return redirect("escalations:protocol")
    return render(
        request,
        "escalations/protocol.html",
        {
            "title": "Escalation protocol",
            "form": form,
            "protocols": list(selectors.protocols(viewer)),
        },
    )


# ---- commissioned services -------------------------------------------------------------------


@require_GET
@login_required
def services_list(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    viewer.require("service", "view", record_type="escalations.commissionedservice")
    return render(
        request,
        "escalations/services.html",
        {
            "title": "Commissioned services",
            "services": list(selectors.services(viewer)),
            "waiting": list(selectors.waiting_returns(viewer)),
            "may_manage": viewer.can("service", "manage"),
            "may_decide": viewer.can("service", "sign_off"),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def new_service(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    viewer.require("service", "manage", record_type="escalations.commissionedservice")
    form = forms.ServiceForm(request.POST or None, agencies=selectors.agencies(viewer))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            found = services.register_service(
                viewer, **{**data, "commissioners": list(data["commissioners"])}
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, f"{found.name} added to the register.")
            return redirect("escalations:service", found.pk)
    return render(
        request,
        "escalations/form.html",
        {
            "title": "Add a commissioned service",
            "form": form,
            "button": "Add it",
            "back": "escalations:services",
        },
    )


def _service(viewer: Viewer, pk: int, action: str) -> CommissionedService:
    viewer.require("service", action, record_type="escalations.commissionedservice", record_id=pk)
    found = selectors.service(viewer, pk)
    if found is None:
        raise Http404("No such service")
    return found


@require_GET
@login_required
def service(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_of(request)
    found = _service(viewer, pk, "view")
    trend = returns.trend(selectors.returns(found))
    return render(
        request,
        "escalations/service.html",
        {
            "title": found.name,
            "service": found,
            "trend": trend,
            "latest_first": list(reversed(trend)),
            "chart": returns.trend_chart(trend),
            "may_submit": viewer.can("service", "return", agency_id=found.provider_id),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def submit_return(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_of(request)
    found = _service(viewer, pk, "return")
    if not viewer.can("service", "return", agency_id=found.provider_id):
        viewer.require(
            "service",
            "return",
            agency_id=found.provider_id,
            record_type="escalations.commissionedservice",
            record_id=pk,
        )
    agencies = list(selectors.agencies(viewer))
    form = forms.ReturnForm(request.POST or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        referrals = [
            services.ReferralLine(agency, data.get(received) or 0, data.get(accepted) or 0)
            for agency, received, accepted in form.referral_names()
        ]
        lines = [services.CommissionLine(*line) for line in form.lines()]
        try:
            made = services.submit_return(
                viewer, found, quarter=data["quarter"], referrals=referrals, commissions=lines,
                escalations=data["escalations"], narrative=data["narrative"],
            )  # fmt: skip
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(
                request, f"Return for {returns.quarter_label(made.quarter)} submitted."
            )
            return redirect("escalations:service", found.pk)
    return render(
        request,
        "escalations/return_form.html",
        {"title": f"{found.name}: quarterly return", "form": form, "service": found},
    )


@require_GET
@login_required
def service_return(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_of(request)
    viewer.require("service", "view", record_type="escalations.servicereturn", record_id=pk)
    found = selectors.service_return(viewer, pk)
    if found is None:
        raise Http404("No such return")
    return render(
        request, "escalations/return.html", _return_context(viewer, found, forms.DecisionForm())
    )


def _return_context(viewer: Viewer, found: ServiceReturn, form: forms.DecisionForm) -> dict:
    return {
        "title": f"{found.service.name}: {returns.quarter_label(found.quarter)}",
        "found": found,
        "figures": returns.quarter_figures(found),
        "commissions": [
            (c, figures.status(c.due, c.delivered, returns.quarter_end(found.quarter)))
            for c in found.commissions.all()
        ],
        "form": form,
        "may_decide": viewer.can("service", "sign_off")
        and found.status == ServiceReturn.Status.SUBMITTED,
    }


@require_POST
@login_required
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_of(request)
    viewer.require("service", "sign_off", record_type="escalations.servicereturn", record_id=pk)
    found = selectors.service_return(viewer, pk)
    if found is None:
        raise Http404("No such return")
    form = forms.DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.decide_return(
                viewer, found, sign_off=form.cleaned_data["decision"] == "sign_off",
                questions=form.cleaned_data["questions"],
            )  # fmt: skip
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, f"Return {found.get_status_display().lower()}.")
            return redirect("escalations:service", found.service_id)
    return render(request, "escalations/return.html", _return_context(viewer, found, form))
