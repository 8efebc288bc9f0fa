"""Review pages. Views are thin: permissions and reads via selectors, writes via services."""

import tempfile
from datetime import date
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
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from assure.accounts.models import Agency, User
from assure.core import audit, permissions
from assure.reviewdocs import AgencyName, ReviewDocumentError, parse_document
from assure.reviews import drafts, exports, rules, selectors, services
from assure.reviews.evidence import EvidenceRejected
from assure.reviews.forms import (
    ActionFilterForm,
    ActionForm,
    AssuranceForm,
    DocumentForm,
    RecommendationForm,
    ReviewForm,
    UpdateForm,
    VersionedForm,
)
from assure.reviews.models import Action, ActionStatus, Evidence, Recommendation, Review
from assure.reviews.themes import ensure_themes


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _today() -> date:
    return timezone.localdate()


def _form_errors(form: Any, error: ValidationError) -> None:
    for field, problems in error.message_dict.items():
        form.add_error(field if field in form.fields else None, problems)


def _conflict(form: VersionedForm, conflict: services.EditConflict) -> None:
    """Say who saved the record meanwhile; the form keeps what this person typed and, saved
    again, replaces the other person's version."""
    record = conflict.current
    last = selectors.last_edit(record)
    who = (
        f"{last.actor_username} saved a change to this at "
        f"{timezone.localtime(last.occurred_at):%H:%M}"
        if last
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
    user = _user(request)
    permissions.require(user, "review", "view", record_type="reviews.overview")
    data = selectors.overview(user, _today())
    return render(
        request,
        "reviews/overview.html",
        {
            "title": "Reviews",
            "data": data,
            "may_manage": permissions.can(user, "review", "manage"),
            "statuses": list(ActionStatus),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def review_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = _user(request)
    permissions.require(user, "review", "manage", record_type="reviews.review")
    review = get_object_or_404(selectors.reviews_for(user), pk=pk) if pk else Review()
    form = ReviewForm(request.POST or None, instance=review)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in services.REVIEW_FIELDS}
        try:
            review = services.save_review(
                user,
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
    user = _user(request)
    permissions.require(user, "review", "view", record_type="reviews.review", record_id=pk)
    review = get_object_or_404(selectors.review_detail(user), pk=pk)
    timeline = rules.review_timeline(review, _today())
    return render(
        request,
        "reviews/review_detail.html",
        {
            "title": str(review),
            "review": review,
            "timeline": timeline,
            "today": _today(),
            "may_manage": permissions.can(user, "review", "manage"),
            "measures": selectors.measure_figures(user),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def recommendation_form(
    request: HttpRequest, review_pk: int, pk: int | None = None
) -> HttpResponse:
    user = _user(request)
    permissions.require(user, "review", "manage", record_type="reviews.recommendation")
    review = get_object_or_404(selectors.reviews_for(user), pk=review_pk)
    ensure_themes(review.partnership)
    recommendation = (
        get_object_or_404(Recommendation, review=review, pk=pk)
        if pk
        else Recommendation(review=review)
    )
    form = RecommendationForm(
        request.POST or None, instance=recommendation, partnership_id=review.partnership_id
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_recommendation(
                user,
                recommendation,
                agencies=list(form.cleaned_data["agencies"]),
                themes=list(form.cleaned_data["themes"]),
                version=form.cleaned_data["version"],
                number=form.cleaned_data["number"],
                text=form.cleaned_data["text"],
                to_partnership=form.cleaned_data["to_partnership"],
                measures=form.cleaned_data["measures"],
            )
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
    user = _user(request)
    permissions.require(user, "review", "manage", record_type="reviews.action")
    recommendation = get_object_or_404(
        Recommendation, pk=recommendation_pk, partnership_id=selectors.partnership_id(user)
    )
    action = (
        get_object_or_404(Action, recommendation=recommendation, pk=pk)
        if pk
        else Action(recommendation=recommendation)
    )
    form = ActionForm(
        request.POST or None, instance=action, partnership_id=recommendation.partnership_id
    )
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in ActionForm.Meta.fields}
        try:
            action = services.save_action(
                user, action, version=form.cleaned_data["version"], **fields
            )
        except ValidationError as error:
            _form_errors(form, error)
        except services.EditConflict as conflict:
            _conflict(form, conflict)
        else:
            messages.success(request, "Action saved.")
            return redirect("reviews:action", action.pk)
    return render(
        request,
        "reviews/simple_form.html",
        {
            "title": "Edit action"
            if pk
            else f"Add an action to recommendation {recommendation.number}",
            "form": form,
            "review": recommendation.review,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An action's history, with the update form for its agency and the assurance form."""
    user = _user(request)
    permissions.require(user, "action", "view", record_type="reviews.action", record_id=pk)
    action = get_object_or_404(selectors.action_detail(user), pk=pk)
    may_update = permissions.can(user, "action", "update", agency_id=action.agency_id)
    may_assure = permissions.can(user, "action", "assure")
    may_download = permissions.can(user, "evidence", "download", agency_id=action.agency_id)
    update_form = UpdateForm(prefix="update")
    assurance_form = AssuranceForm(prefix="assurance")
    if request.method == "POST":
        if "update-narrative" in request.POST:
            update_form = UpdateForm(request.POST, request.FILES, prefix="update")
            if _save_update(request, user, action, update_form):
                return redirect("reviews:action", action.pk)
        else:
            assurance_form = AssuranceForm(request.POST, prefix="assurance")
            if _save_assurance(request, user, action, assurance_form):
                return redirect("reviews:action", action.pk)
    return render(
        request,
        "reviews/action_detail.html",
        {
            "title": f"Action: {action.description[:60]}",
            "action": action,
            "smart": _smart(action),
            "may_update": may_update
            and action.status not in {ActionStatus.ASSURED, ActionStatus.EMBEDDED},
            "may_assure": may_assure and action.status in selectors.AWAITING,
            "may_download": may_download,
            "update_form": update_form,
            "assurance_form": assurance_form,
            "today": _today(),
        },
    )


def _smart(action: Action) -> list[str]:
    return rules.smart_problems(
        action.description,
        has_owner=action.owner_id is not None,
        due_date=action.due_date,
        success_measure=action.success_measure,
    )


def _save_update(request: HttpRequest, user: User, action: Action, form: UpdateForm) -> bool:
    if not form.is_valid():
        return False
    upload = form.cleaned_data["evidence_file"]
    try:
        services.add_update(
            user,
            action,
            narrative=form.cleaned_data["narrative"],
            status=form.cleaned_data["status"],
            rag=form.cleaned_data["rag"],
            files=[upload] if upload else [],
            links=form.cleaned_data["evidence_links"],
        )
    except ValidationError as error:
        _form_errors(form, _with_evidence_field(error))
        return False
    except EvidenceRejected as error:
        form.add_error("evidence_file", str(error))
        return False
    messages.success(request, "Update added.")
    return True


def _with_evidence_field(error: ValidationError) -> ValidationError:
    problems = error.message_dict
    if "evidence" in problems:
        problems["evidence_file"] = problems.pop("evidence")
    return ValidationError(problems)


def _save_assurance(request: HttpRequest, user: User, action: Action, form: AssuranceForm) -> bool:
    if not form.is_valid():
        return False
    decision, comment = form.cleaned_data["decision"], form.cleaned_data["comment"]
    try:
        if decision == "sent_back":
            services.send_back(user, action, reason=comment)
        else:
            services.assure(user, action, level=decision, comment=comment)
    except ValidationError as error:
        for problems in error.message_dict.values():
            form.add_error("decision", problems)
        return False
    messages.success(request, "Decision recorded.")
    return True


@require_GET
@login_required
def evidence_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Evidence is only ever served through this permission check; each download is audited."""
    user = _user(request)
    evidence = get_object_or_404(
        Evidence.objects.select_related("update__action"),
        pk=pk,
        partnership_id=selectors.partnership_id(user),
    )
    services.record_download(user, evidence)
    if not evidence.file:
        return redirect(evidence.link)
    return FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )


def _filtered_actions(request: HttpRequest, user: User, base: Any) -> tuple[ActionFilterForm, Any]:
    form = ActionFilterForm(request.GET or None, partnership_id=selectors.partnership_id(user))
    filters = dict(form.cleaned_data) if form.is_valid() else {}
    if filters.get("overdue"):
        filters["overdue_on"] = _today()
    return form, selectors.filter_actions(base, filters)


@require_GET
@login_required
def action_list(request: HttpRequest) -> HttpResponse:
    """Every action in the partnership, filtered and searchable."""
    user = _user(request)
    permissions.require(user, "action", "view", record_type="reviews.action")
    form, actions = _filtered_actions(request, user, selectors.actions_for(user))
    page = Paginator(actions, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "reviews/action_list.html",
        {
            "title": "All actions",
            "form": form,
            "page": page,
            "today": _today(),
            "may_export": permissions.can(user, "action", "export"),
            "query": request.GET.urlencode(),
        },
    )


@require_GET
@login_required
def my_actions(request: HttpRequest) -> HttpResponse:
    """The person's own agency's actions, for its safeguarding lead to update."""
    user = _user(request)
    permissions.require(user, "action", "update", record_type="reviews.action")
    base = selectors.actions_for(user).filter(agency=user.agency)
    form, actions = _filtered_actions(request, user, base)
    page = Paginator(actions, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "reviews/action_list.html",
        {
            "title": f"{user.agency}: actions",
            "form": form,
            "page": page,
            "today": _today(),
            "may_export": permissions.can(user, "action", "export"),
            "query": request.GET.urlencode(),
            "mine": True,
        },
    )


@require_GET
@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """Actions awaiting the learning group's assurance, oldest claim first."""
    user = _user(request)
    permissions.require(user, "action", "assure", record_type="reviews.queue")
    page = Paginator(selectors.awaiting_assurance(user), 50).get_page(request.GET.get("page"))
    return render(request, "reviews/queue.html", {"title": "Awaiting assurance", "page": page})


@require_GET
@login_required
def export_actions(request: HttpRequest, fmt: str) -> HttpResponseBase:
    """The filtered action plan as CSV or XLSX; an agency lead's export is their agency's only."""
    user = _user(request)
    scope = permissions.require(user, "action", "export", record_type="reviews.action")
    base = selectors.actions_for(user)
    if scope == permissions.Scope.OWN_AGENCY:
        base = base.filter(agency=user.agency)
    _, actions = _filtered_actions(request, user, base)
    response = exports.response(actions, fmt, _today())  # 404 for a format it does not make
    audit.record(
        user, audit.Action.EXPORT, record_type="reviews.action", summary=f"Action plan as {fmt}"
    )
    return response


DRAFT_KEY = "review-draft-{}"


@require_http_methods(["GET", "POST"])
@login_required
def import_document(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a review document; its draft is kept in the session for a person to correct."""
    user = _user(request)
    permissions.require(user, "review", "manage", record_type="reviews.review", record_id=pk)
    review = get_object_or_404(selectors.reviews_for(user), pk=pk)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["document"]
        agencies = list(Agency.objects.filter(partnership_id=review.partnership_id))
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
    user = _user(request)
    permissions.require(user, "review", "manage", record_type="reviews.review", record_id=pk)
    review = get_object_or_404(selectors.reviews_for(user), pk=pk)
    stored = request.session.get(DRAFT_KEY.format(pk))
    if not stored:
        messages.info(request, "Upload the document again: its draft has expired.")
        return redirect("reviews:import", pk)
    agencies = list(Agency.objects.filter(partnership_id=review.partnership_id))
    existing = set(review.recommendations.values_list("number", flat=True))
    recommendations = drafts.from_json(stored["draft"], agencies, existing)
    problems: list[str] = []
    if request.method == "POST":
        recommendations, problems = drafts.from_post(request.POST, {a.pk for a in agencies})
        if not problems:
            recs, actions = drafts.save_draft(user, review, recommendations, stored["source"])
            del request.session[DRAFT_KEY.format(pk)]
            messages.success(request, f"Saved {recs} recommendations and {actions} actions.")
            return redirect("reviews:detail", pk)
    return render(
        request,
        "reviews/confirm_import.html",
        {
            "title": "Check the draft",
            "review": review,
            "recommendations": recommendations,
            "unparsed": stored["draft"].get("unparsed", []),
            "source": stored["source"],
            "agencies": agencies,
            "statuses": list(drafts.DOCUMENT_STATUS),
            "problems": problems,
            "existing": existing,
        },
    )
