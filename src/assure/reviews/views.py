"""Review pages. Views are thin: permissions and reads via selectors, writes via services."""

import tempfile
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path, PurePath
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from assure.accounts.models import Agency, User
from assure.audits import grades
from assure.core import audit, permissions
from assure.core.calendar import add_months
from assure.core.forms import show_errors
from assure.core.viewer import Viewer, viewer_of
from assure.indicators.disclosure import Disclosure
from assure.reviewdocs import AgencyName, ReviewDocumentError
from assure.reviews import drafts, exports, lifecycle, measures, report, rules, selectors, services
from assure.reviews.evidence import EvidenceRejected
from assure.reviews.forms import (
    ActionFilterForm,
    ActionForm,
    DecisionForm,
    DocumentForm,
    ManageForm,
    RecommendationForm,
    ReviewForm,
    UpdateForm,
    VersionedForm,
)
from assure.reviews.models import Action, ActionStatus, Recommendation, Review
from assure.reviews.themes import ensure_themes
from assure.workforce import reach
from assure.workforce import selectors as workforce


def _today() -> date:
    return timezone.localdate()


def _conflict(form: VersionedForm, conflict: services.EditConflict) -> None:
    """Say who saved the record meanwhile; the form keeps what this person typed and, saved
    again, replaces the other person's version."""
    record = conflict.current
    who = (
        f"{record.updated_by.get_username()} saved a change to this at "
        f"{timezone.localtime(record.updated_at):%H:%M}"
        if record.updated_by and record.updated_at
        else "Someone else saved a change to this"
    )
    form.add_error(
        None,
        f"{who} while you were editing it, so your changes are not saved yet. Check the page "
        "in another tab to see theirs; saving this form again will replace them with yours.",
    )
    form.take_version(record.version)


@require_GET
@login_required
def overview(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    viewer.require("review", "view", record_type="reviews.overview")
    show = request.GET.get("show", "")
    if show not in selectors.REVIEW_LISTS:
        show = "reviews"
    counts = selectors.review_list_counts(viewer)
    return render(
        request,
        "reviews/overview.html",
        {
            "title": "Reviews",
            "data": selectors.overview(viewer, _today(), show),
            "show": show,
            "lists": [
                (key, f"{label} ({counts[key]})") for key, label in selectors.REVIEW_LISTS.items()
            ],
            "may_see_rounds": viewer.can("selfassessment", "view"),
            "may_manage": viewer.can("review", "manage"),
            "may_assure": viewer.can("action", "assure"),
            "statuses": list(lifecycle.COUNTED),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def review_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    viewer = viewer_of(request)
    viewer.require("review", "manage", record_type="reviews.review")
    review = get_object_or_404(selectors.reviews_for(viewer), pk=pk) if pk else Review()
    form = ReviewForm(request.POST or None, instance=review)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in services.REVIEW_FIELDS}
        try:
            review = services.save_review(
                viewer,
                Review() if pk is None else review,
                changes,
                version=form.cleaned_data["version"],
            )
        except services.EditConflict as conflict:
            _conflict(form, conflict)
        else:
            messages.success(request, f"{review} saved.")
            return redirect("reviews:detail", review.pk)
    title = f"Edit {review}" if pk else "Add a review"
    return render(request, "reviews/review_form.html", {"title": title, "form": form})


@require_GET
@login_required
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_of(request)
    viewer.require("review", "view", record_type="reviews.review", record_id=pk)
    review = get_object_or_404(selectors.review_detail(viewer), pk=pk)
    timeline = rules.review_timeline(review, _today()) if review.has_statutory_timeline else []
    counted = [
        action
        for recommendation in review.recommendations.all()
        for action in recommendation.actions.all()
        if action.status in lifecycle.COUNTED
    ]
    return render(
        request,
        "reviews/review_detail.html",
        {
            "title": str(review),
            "review": review,
            "timeline": timeline,
            "today": _today(),
            "may_manage": viewer.can("review", "manage"),
            "measures": selectors.measure_figures(viewer),
            "audit_measures": _audit_measures(viewer, review),
            "readings": _readings(viewer, review),
            "reading_prefixes": measures.reading_prefixes(),
            **_workforce_learning(viewer, review),
            "may_see_audits": viewer.can("audit", "view"),
            "may_see_rounds": viewer.can("selfassessment", "view"),
            "plan_gaps": _plan_gaps(counted),
            "may_see_measures": viewer.can("case_data", "view"),
            "small_count": settings.SMALL_COUNT_THRESHOLD,
        },
    )


def _readings(viewer: Viewer, review: Review) -> dict[int, dict[str, measures.Reading]]:
    """Per recommendation, its linked measures read as one figure (survey, escalation,
    standard) against its target, of the kinds the viewer may see (each kind computed once)."""
    recommendations = list(review.recommendations.all())
    linked = [m for rec in recommendations for m in rec.measures or []]
    found = measures.readings(review.partnership_id, linked, _today(), viewer)
    return {
        rec.pk: {
            m: replace(found[m], target=rec.measure_target / 100)
            for m in rec.measures or []
            if m in found
        }
        for rec in recommendations
    }


def _workforce_learning(viewer: Viewer, review: Review) -> dict[str, Any]:
    """The courses (reach, confidence change) and learning products linked to the review's
    recommendations, over the last 12 months, for those who may see workforce learning."""
    if not viewer.can("workforce", "view"):
        return {"learning": {}, "workforce_measures": {}}
    end = _today()
    start = add_months(end, -12) + timedelta(days=1)
    ids = [r.pk for r in review.recommendations.all()]
    return {
        "learning": workforce.for_recommendations(viewer, ids, start, end),
        "workforce_measures": dict(reach.measure_choices(viewer.partnership_id)),
    }


def _audit_measures(viewer: Viewer, review: Review) -> dict[str, grades.AuditTrend]:
    """The audit tools linked to the review's recommendations, for those who may see audit
    results, with small numbers hidden from those without child-level audit access."""
    if not viewer.can("audit", "view"):
        return {}
    linked = [m for rec in review.recommendations.all() for m in rec.measures or []]
    trends = grades.audit_trends(
        review.partnership_id,
        linked,
        exact=viewer.can("audit", "view", child_level=True),
    )
    return {trend.id: trend for trend in trends}


def _plan_gaps(actions: list[Action]) -> str:
    """ "12 actions have no owner, 3 have no due date": what the plan still lacks, or ""."""
    no_owner = sum(1 for action in actions if action.owner_id is None)
    no_due = sum(1 for action in actions if action.due_date is None)
    parts = []
    if no_owner:
        parts.append(f"{no_owner} {'action has' if no_owner == 1 else 'actions have'} no owner")
    if no_due:
        noun = "" if parts else (" action" if no_due == 1 else " actions")
        parts.append(f"{no_due}{noun} {'has' if no_due == 1 else 'have'} no due date")
    return ", ".join(parts)


def _progress_report(request: HttpRequest, pk: int, fmt: str) -> report.ProgressReport:
    """The review's progress report for someone who may see reviews; each one made is audited."""
    viewer = viewer_of(request)
    viewer.require("review", "view", record_type="reviews.review", record_id=pk)
    review = get_object_or_404(selectors.reviews_for(viewer).select_related("partnership"), pk=pk)
    made = report.progress_report(viewer, review, _today(), timezone.now())
    audit.record(
        viewer,
        audit.Action.EXPORT,
        review,
        summary=f"Progress report as {fmt}, digest {made.stamp.digest[:12]}",
    )
    return made


@require_GET
@login_required
def progress_report(request: HttpRequest, pk: int) -> HttpResponse:
    """One page per recommendation; prints cleanly (the stylesheet's print rules)."""
    made = _progress_report(request, pk, "html")
    return render(
        request,
        "reviews/progress_report.html",
        {"title": f"Progress report: {made.review}", "report": made},
    )


@require_GET
@login_required
def progress_report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    made = _progress_report(request, pk, "pdf")
    html = render(
        request,
        "reviews/progress_report_pdf.html",
        {"title": f"Progress report: {made.review}", "report": made},
    ).content.decode()
    response = HttpResponse(report.pdf(html), content_type="application/pdf")
    name = f"progress-report-{made.review.pk}-{made.stamp.as_at}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_http_methods(["GET", "POST"])
@login_required
def recommendation_form(
    request: HttpRequest, review_pk: int, pk: int | None = None
) -> HttpResponse:
    viewer = viewer_of(request)
    viewer.require("review", "manage", record_type="reviews.recommendation")
    review = get_object_or_404(selectors.reviews_for(viewer), pk=review_pk)
    ensure_themes(review.partnership)
    recommendation = (
        get_object_or_404(selectors.recommendations_for(viewer), review=review, pk=pk)
        if pk
        else Recommendation(review=review)
    )
    form = RecommendationForm(
        request.POST or None, instance=recommendation, partnership_id=review.partnership_id
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_recommendation(
                viewer,
                recommendation,
                agencies=list(form.cleaned_data["agencies"]),
                themes=list(form.cleaned_data["themes"]),
                version=form.cleaned_data["version"],
                number=form.cleaned_data["number"],
                text=form.cleaned_data["text"],
                to_partnership=form.cleaned_data["to_partnership"],
                measures=form.cleaned_data["measures"],
                measure_target=form.cleaned_data["measure_target"],
            )
        except ValidationError as error:
            show_errors(form, error)
        except services.EditConflict as conflict:
            _conflict(form, conflict)
        else:
            messages.success(request, f"Recommendation {recommendation.number} saved.")
            return redirect("reviews:detail", review.pk)
    title = f"Edit recommendation {recommendation.number}" if pk else "Add a recommendation"
    return render(
        request, "reviews/simple_form.html", {"title": title, "form": form, "review": review}
    )


@require_http_methods(["GET", "POST"])
@login_required
def action_form(
    request: HttpRequest, recommendation_pk: int, pk: int | None = None
) -> HttpResponse:
    """Add an action (partnership managers), or change one's owner, due date, measure and text
    (whoever may edit its agency's actions, while its status allows)."""
    viewer = viewer_of(request)
    if pk is None:
        viewer.require("review", "manage", record_type="reviews.action")
        recommendation = get_object_or_404(
            selectors.recommendations_for(viewer), pk=recommendation_pk
        )
        action = Action(recommendation=recommendation)
        may_move = True
    else:
        viewer.require("action", "edit", record_type="reviews.action", record_id=pk)
        action = get_object_or_404(
            selectors.actions_for(viewer), recommendation_id=recommendation_pk, pk=pk
        )
        scope = viewer.require(
            "action",
            "edit",
            agency_id=action.agency_id,
            record_type="reviews.action",
            record_id=pk,
        )
        if action.status not in lifecycle.EDITABLE:
            messages.info(
                request,
                f"This action is {action.get_status_display().lower()}: its owner, due date "
                "and text can no longer change.",
            )
            return redirect("reviews:action", action.pk)
        recommendation = action.recommendation
        may_move = scope >= permissions.Scope.PARTNERSHIP
    form = ActionForm(
        request.POST or None,
        instance=action,
        partnership_id=recommendation.partnership_id,
        may_move=may_move,
    )
    if request.method == "POST" and form.is_valid():
        fields = {
            name: form.cleaned_data[name] for name in ActionForm.Meta.fields if name in form.fields
        }
        try:
            action = services.save_action(
                viewer, action, version=form.cleaned_data["version"], **fields
            )
        except ValidationError as error:
            show_errors(form, error)
        except services.EditConflict as conflict:
            _conflict(form, conflict)
        else:
            messages.success(request, "Action saved.")
            return redirect("reviews:action", action.pk)
    return render(
        request,
        "reviews/simple_form.html",
        {
            "title": "Edit this action"
            if pk
            else f"Add an action to recommendation {recommendation.number}",
            "form": form,
            "review": recommendation.review,
            "back": reverse("reviews:action", args=[pk]) if pk else None,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An action's history, with a form for each kind of move the person may make from its
    status (read from `lifecycle`): the agency's update, the learning group's decision and the
    manager's withdraw or merge."""
    viewer = viewer_of(request)
    viewer.require("action", "view", record_type="reviews.action", record_id=pk)
    action = get_object_or_404(selectors.action_detail(viewer), pk=pk)
    forms = _move_forms(request, viewer, action)
    may_edit = action.status in lifecycle.EDITABLE and viewer.can(
        "action", "edit", agency_id=action.agency_id
    )
    if request.method == "POST":
        posted = next((p for p in forms if f"{p}-move" in request.POST), None)
        form = forms.get(posted) if posted else None
        if form is not None and _save_move(request, viewer, action, form):
            return redirect("reviews:action", action.pk)
    own_decision = any(
        lifecycle.Need.NOT_OWN_AGENCY in m.needs and action.status in m.sources
        for m in lifecycle.MOVES
        if m.permission == lifecycle.ASSURE
    )
    history = sorted(
        [*action.updates.all(), *(u for a in action.merged_actions.all() for u in a.updates.all())],
        key=lambda u: (u.created_at, u.pk),
        reverse=True,
    )
    return render(
        request,
        "reviews/action_detail.html",
        {
            "title": f"Action: {action.description[:60]}",
            "action": action,
            "history": history,
            "smart": _smart(action),
            "may_download": viewer.can("evidence", "download", agency_id=action.agency_id),
            "update_form": forms.get("update"),
            "decision_form": forms.get("decision"),
            "manage_form": forms.get("manage"),
            "own_agency_decision": own_decision
            and viewer.can("action", "assure")
            and lifecycle.own_agency(viewer, action),
            "measures": _measures(viewer, action),
            "edit_url": reverse("reviews:edit-action", args=[action.recommendation_id, action.pk])
            if may_edit
            else "",
            "today": _today(),
        },
    )


def _measures(
    viewer: Viewer, action: Action
) -> list[measures.MeasureRecord | measures.Reading] | None:
    """The linked measures since assurance, of the kinds the viewer may see."""
    if action.status not in (ActionStatus.ASSURED, ActionStatus.EMBEDDED):
        return None
    records: list[measures.MeasureRecord | measures.Reading] = [
        *measures.measure_records(action, Disclosure.for_viewer(viewer), viewer)
    ]
    return records + measures.action_readings(action, _today(), viewer)


MoveForm = UpdateForm | DecisionForm | ManageForm


def _move_forms(request: HttpRequest, viewer: Viewer, action: Action) -> dict[str, MoveForm]:
    """A form for each permission under which the person has a move to make, bound if posted."""
    forms: dict[str, MoveForm] = {}
    update = lifecycle.moves_for(viewer, action, lifecycle.UPDATE)
    decide = lifecycle.moves_for(viewer, action, lifecycle.ASSURE)
    manage = lifecycle.moves_for(viewer, action, lifecycle.MANAGE)

    def data(prefix: str) -> dict[str, Any]:
        if request.method == "POST" and f"{prefix}-move" in request.POST:
            return {"data": request.POST, "files": request.FILES}
        return {}

    if update:
        forms["update"] = UpdateForm(prefix="update", moves=update, **data("update"))
    if decide:
        forms["decision"] = DecisionForm(
            prefix="decision", moves=decide, action=action, **data("decision")
        )
    if manage:
        forms["manage"] = ManageForm(prefix="manage", moves=manage, action=action, **data("manage"))
    return forms


def _smart(action: Action) -> list[str]:
    return rules.smart_problems(
        action.description,
        has_owner=action.owner_id is not None,
        due_date=action.due_date,
        success_measure=action.success_measure,
    )


def _details(form: MoveForm) -> services.MoveDetails:
    data = form.cleaned_data
    if isinstance(form, UpdateForm):
        upload = data["evidence_file"]
        return services.MoveDetails(
            narrative=data["narrative"],
            rag=data["rag"],
            files=[upload] if upload else [],
            links=data["evidence_links"],
            notes=form.notes(),
            no_evidence_reason=data["no_evidence_reason"],
        )
    if isinstance(form, DecisionForm):
        return services.MoveDetails(
            narrative=data["narrative"],
            evidence_examined=data.get("evidence_examined", ""),
            embedded_basis=data.get("embedded_basis", ""),
            measure=data.get("measure"),  # None: not offered, so left as it is
        )
    return services.MoveDetails(narrative=data["narrative"], merge_into=data["merge_into"])


def _save_move(request: HttpRequest, viewer: Viewer, action: Action, form: MoveForm) -> bool:
    if not form.is_valid():
        return False
    try:
        services.move_action(viewer, action, form.cleaned_data["move"], _details(form))
    except ValidationError as error:
        show_errors(form, _with_evidence_field(error))
        return False
    except EvidenceRejected as error:
        form.add_error("evidence_file", str(error))
        return False
    messages.success(
        request, "Update added." if isinstance(form, UpdateForm) else "Decision recorded."
    )
    return True


def _with_evidence_field(error: ValidationError) -> ValidationError:
    problems = error.message_dict
    if "evidence" in problems:
        problems["evidence_file"] = problems.pop("evidence")
    return ValidationError(problems)


@require_GET
@login_required
def evidence_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Evidence files are only ever served through this permission check; each download is
    audited. Links are shown on the action's page and open their own address directly."""
    viewer = viewer_of(request)
    evidence = get_object_or_404(selectors.evidence_files_for(viewer), pk=pk)
    services.record_download(viewer, evidence)
    return FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )


def _filtered_actions(
    request: HttpRequest, viewer: Viewer, base: Any
) -> tuple[ActionFilterForm, Any]:
    form = ActionFilterForm(request.GET or None, partnership_id=viewer.partnership_id)
    filters = dict(form.cleaned_data) if form.is_valid() else {}
    if filters.get("overdue"):
        filters["overdue_on"] = _today()
    return form, selectors.filter_actions(base, filters)


@require_GET
@login_required
def action_list(request: HttpRequest) -> HttpResponse:
    """Every action in the partnership, filtered and searchable."""
    viewer = viewer_of(request)
    viewer.require("action", "view", record_type="reviews.action")
    form, actions = _filtered_actions(request, viewer, selectors.actions_for(viewer))
    page = Paginator(actions, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "reviews/action_list.html",
        {
            "title": "All actions",
            "form": form,
            "page": page,
            "today": _today(),
            "may_export": viewer.can("action", "export"),
            "query": request.GET.urlencode(),
        },
    )


@require_GET
@login_required
def my_actions(request: HttpRequest) -> HttpResponse:
    """The person's own agency's actions, for its safeguarding lead to update."""
    viewer = viewer_of(request)
    viewer.require("action", "update", record_type="reviews.action")
    base = selectors.actions_for(viewer).filter(agency=viewer.agency)
    form, actions = _filtered_actions(request, viewer, base)
    page = Paginator(actions, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "reviews/action_list.html",
        {
            "title": f"{viewer.agency}: actions",
            "form": form,
            "page": page,
            "today": _today(),
            "may_export": viewer.can("action", "export"),
            "query": request.GET.urlencode(),
            "mine": True,
        },
    )


@require_GET
@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """Actions awaiting the learning group's assurance, oldest claim first."""
    viewer = viewer_of(request)
    viewer.require("action", "assure", record_type="reviews.queue")
    page = Paginator(selectors.awaiting_assurance(viewer), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "reviews/queue.html",
        {"title": "Awaiting assurance", "page": page, "slipped": list(selectors.slipped(viewer))},
    )


@require_GET
@login_required
def export_actions(request: HttpRequest, fmt: str) -> HttpResponseBase:
    """The filtered action plan as CSV or XLSX; an agency lead's export is their agency's only."""
    viewer = viewer_of(request)
    scope = viewer.require("action", "export", record_type="reviews.action")
    base = selectors.actions_for(viewer)
    if scope == permissions.Scope.OWN_AGENCY:
        base = base.filter(agency=viewer.agency)
    form, actions = _filtered_actions(request, viewer, base)
    chosen = form.cleaned_data.get("agency") if form.is_bound and form.is_valid() else None
    one_agency = viewer.agency if scope == permissions.Scope.OWN_AGENCY else chosen
    agency_name = one_agency.name if one_agency else ""
    # 404 for a format it does not make
    response = exports.response(actions, fmt, _today(), agency_name=agency_name)
    audit.record(
        viewer,
        audit.Action.EXPORT,
        record_type="reviews.action",
        summary=f"Action plan as {fmt}"
        + (f" ({exports.scope_title(agency_name)})" if agency_name else ""),
    )
    return response


DRAFT_KEY = "review-draft-{}"


@require_http_methods(["GET", "POST"])
@login_required
def import_document(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a review document; its draft is kept in the session for a person to correct."""
    viewer = viewer_of(request)
    viewer.require("review", "manage", record_type="reviews.review", record_id=pk)
    review = get_object_or_404(selectors.reviews_for(viewer), pk=pk)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["document"]
        agencies = selectors.agencies_of(review)
        try:
            draft = _parse_upload(upload, agencies)
        except ReviewDocumentError as error:
            form.add_error("document", str(error))
        else:
            request.session[DRAFT_KEY.format(pk)] = {"source": upload.name, "draft": draft}
            return redirect("reviews:confirm-import", pk)
    return render(
        request,
        "reviews/import_document.html",
        {"title": f"Import a document into {review}", "form": form, "review": review},
    )


def _parse_upload(upload: Any, agencies: list[Agency]) -> dict[str, Any]:
    from assure.reviewdocs import parse_document  # its patterns compile at first use

    names = [AgencyName(a.name, tuple(a.aliases)) for a in agencies]
    name = PurePath(upload.name).name
    with tempfile.TemporaryDirectory(dir=settings.FILE_UPLOAD_TEMP_DIR) as folder:
        path = Path(folder) / f"upload{PurePath(name).suffix.lower()}"
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        return parse_document(path, names, source_name=name).to_json()


@require_http_methods(["GET", "POST"])
@login_required
def confirm_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Check the draft: correct rows, untick what is not an action, set owners and dates."""
    viewer = viewer_of(request)
    viewer.require("review", "manage", record_type="reviews.review", record_id=pk)
    review = get_object_or_404(selectors.reviews_for(viewer), pk=pk)
    stored = request.session.get(DRAFT_KEY.format(pk))
    if not stored:
        messages.info(request, "Upload the document again: its draft has expired.")
        return redirect("reviews:import", pk)
    agencies = selectors.agencies_of(review)
    choices = [(a.pk, a.name) for a in agencies]
    if drafts.partnership_agency(review.partnership) is None:
        own_name = f"{review.partnership.name}: learning group and business unit"
        choices.append((drafts.PARTNERSHIP_AGENCY, own_name))
    people = selectors.possible_owners(review)
    owners: dict[int, list[User]] = {}
    for person in people.order_by("first_name", "last_name", "username"):
        owners.setdefault(person.agency_id, []).append(person)  # type: ignore[arg-type]
    existing = set(review.recommendations.values_list("number", flat=True))
    recommendations = drafts.from_json(stored["draft"], agencies, existing)
    defaults: dict[int, drafts.AgencyDefaults] = {}
    problems: list[str] = []
    if request.method == "POST":
        recommendations, defaults, problems = drafts.from_post(
            request.POST,
            {pk for pk, _ in choices},
            {agency: {p.pk for p in found} for agency, found in owners.items()},
        )
        if not problems:
            recs, actions = drafts.save_draft(
                viewer, review, recommendations, stored["source"], defaults
            )
            del request.session[DRAFT_KEY.format(pk)]
            messages.success(request, f"Saved {recs} recommendations and {actions} actions.")
            return redirect("reviews:detail", pk)
    in_draft = {a.agency_id for r in recommendations for a in r.actions}
    return render(
        request,
        "reviews/confirm_import.html",
        {
            "title": "Check the draft",
            "review": review,
            "recommendations": recommendations,
            "unparsed": stored["draft"].get("unparsed", []),
            "source": stored["source"],
            "agencies": choices,
            "bulk": [
                (agency, name, owners.get(agency, []), defaults.get(agency))
                for agency, name in choices
                if agency in in_draft
            ],
            "statuses": list(drafts.DOCUMENT_STATUS),
            "problems": problems,
            "existing": existing,
        },
    )
