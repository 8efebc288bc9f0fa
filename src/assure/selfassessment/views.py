"""Self-assessment pages: thin over selectors (reads) and services (writes)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from assure.core.forms import show_errors
from assure.core.viewer import Viewer, viewer_of
from assure.selfassessment import forms, selectors, services
from assure.selfassessment.models import Framework, Round, Submission


def _round(viewer: Viewer, pk: int) -> Round:
    found = selectors.round_for(viewer, pk)
    if found is None:
        raise Http404("No such round")
    return found


def _submission(viewer: Viewer, pk: int) -> Submission:
    found = selectors.submission_for(viewer, pk)
    if found is None:
        raise Http404("No such self-assessment")
    return found


def _framework(viewer: Viewer, pk: int) -> Framework:
    found = selectors.framework_for(viewer, pk)
    if found is None:
        raise Http404("No such framework")
    return found


def _builtins(viewer: Viewer) -> None:
    if viewer.partnership is not None:
        services.ensure_builtin_frameworks(viewer.partnership)


@require_GET
@login_required
def rounds(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    return render(
        request,
        "selfassessment/rounds.html",
        {
            "title": "Self-assessments",
            "rounds": selectors.rounds_for(viewer),
            "mine": selectors.my_submissions(viewer),
            "may_manage": viewer.can("selfassessment", "manage"),
            "may_see_reviews": viewer.can("review", "view"),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def new_round(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    viewer.require("selfassessment", "manage", record_type="selfassessment.round")
    _builtins(viewer)
    form = forms.RoundForm(
        request.POST or None,
        frameworks=selectors.frameworks_for(viewer),
        agencies=selectors.agencies_for(viewer),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = services.open_round(
                viewer,
                name=data["name"],
                framework=data["framework"],
                agencies=list(data["agencies"]),
                due_date=data["due_date"],
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, f"Round “{made}” opened: each agency's lead can now rate.")
            return redirect("selfassessment:round", made.pk)
    return render(request, "selfassessment/new_round.html", {"title": "Open a round", "form": form})


@require_GET
@login_required
def round_page(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_of(request)
    found = _round(viewer, pk)
    return render(
        request,
        "selfassessment/round.html",
        {
            "title": found.name,
            "round": found,
            "board": selectors.dashboard(found),
            "may_challenge": viewer.can("selfassessment", "challenge"),
            "my_agency": viewer.agency_id
            if viewer.can("selfassessment", "rate", agency_id=viewer.agency_id)
            else None,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def rate(request: HttpRequest, pk: int) -> HttpResponse:
    """The agency lead's page: rate each standard, add improvement actions, submit."""
    viewer = viewer_of(request)
    submission = _submission(viewer, pk)
    viewer.require(
        "selfassessment",
        "rate",
        agency_id=submission.agency_id,
        record_type="selfassessment.submission",
        record_id=pk,
    )
    standards = list(submission.round.framework.standards.all())
    ratings = selectors.ratings_of(submission)
    form = forms.RatingsForm(
        request.POST or None, request.FILES or None, standards=standards, ratings=ratings
    )
    if request.method == "POST" and submission.submitted_at is None and form.is_valid():
        data = form.cleaned_data
        given = {
            s.pk: services.Rated(
                data[f"rating_{s.pk}"],
                data[f"commentary_{s.pk}"],
                data[f"link_{s.pk}"],
                data[f"note_{s.pk}"],
                data[f"file_{s.pk}"],
            )
            for s in standards
            if data[f"rating_{s.pk}"]
        }
        submit = "submit" in request.POST
        for s in standards:
            if data[f"file_{s.pk}"] and not data[f"rating_{s.pk}"]:
                form.add_error(f"rating_{s.pk}", f"Rate standard {s.number} to keep its evidence")
        if _saved(form, viewer, submission, given, submit=submit):
            messages.success(
                request,
                "Submitted to the learning group."
                if submit
                else "Ratings saved: submit when ready.",
            )
            return redirect("selfassessment:rate", pk)
    return render(
        request,
        "selfassessment/rate.html",
        {
            "title": f"{submission.agency}: {submission.round}",
            "submission": submission,
            "form": form,
            "ratings": ratings,
            "actions": selectors.actions_of(viewer, submission),
        },
    )


def _saved(
    form: forms.RatingsForm,
    viewer: Viewer,
    submission: Submission,
    given: dict[int, services.Rated],
    *,
    submit: bool,
) -> bool:
    """Save the ratings unless the form already has a problem; a refusal goes on the form."""
    if form.errors:
        return False
    try:
        services.save_ratings(viewer, submission, given, submit=submit)
    except ValidationError as error:
        show_errors(form, error)
        return False
    return True


@require_http_methods(["GET", "POST"])
@login_required
def add_action(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_of(request)
    submission = _submission(viewer, pk)
    viewer.require(
        "selfassessment",
        "rate",
        agency_id=submission.agency_id,
        record_type="selfassessment.submission",
        record_id=pk,
    )
    form = forms.ImprovementActionForm(
        request.POST or None,
        standards=list(submission.round.framework.standards.all()),
        owners=selectors.owners_of(submission),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.add_improvement_action(viewer, submission, **data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, "Improvement action added to your agency's actions.")
            return redirect("selfassessment:rate", pk)
    return render(
        request,
        "selfassessment/add_action.html",
        {"title": "Add an improvement action", "submission": submission, "form": form},
    )


@require_http_methods(["GET", "POST"])
@login_required
def challenge(request: HttpRequest, pk: int) -> HttpResponse:
    """The learning group's challenge of one agency's submitted self-assessment."""
    viewer = viewer_of(request)
    submission = _submission(viewer, pk)
    viewer.require(
        "selfassessment", "challenge", record_type="selfassessment.submission", record_id=pk
    )
    standards = list(submission.round.framework.standards.all())
    ratings = selectors.ratings_of(submission)
    form = forms.ChallengeForm(request.POST or None, standards=standards, ratings=ratings)
    if request.method == "POST" and submission.submitted_at is not None and form.is_valid():
        data = form.cleaned_data
        decisions = {
            s.pk: services.Challenged(data[f"decision_{s.pk}"], data[f"reason_{s.pk}"])
            for s in standards
            if s.pk in ratings
        }
        try:
            services.challenge(viewer, submission, decisions)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, f"Challenge of {submission.agency} recorded.")
            return redirect("selfassessment:round", submission.round_id)
    return render(
        request,
        "selfassessment/challenge.html",
        {
            "title": f"Challenge: {submission.agency}",
            "submission": submission,
            "form": form,
            "ratings": ratings,
            "actions": selectors.actions_of(viewer, submission),
        },
    )


@require_GET
@login_required
def frameworks(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    viewer.require("selfassessment", "manage", record_type="selfassessment.framework")
    _builtins(viewer)
    return render(
        request,
        "selfassessment/frameworks.html",
        {"title": "Frameworks of standards", "frameworks": selectors.frameworks_for(viewer)},
    )


@require_http_methods(["GET", "POST"])
@login_required
def edit_framework(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit the partnership's copy of a framework: saved as a new version."""
    viewer = viewer_of(request)
    viewer.require("selfassessment", "manage", record_type="selfassessment.framework")
    framework = _framework(viewer, pk)
    form = forms.FrameworkForm(
        request.POST or None,
        initial={"title": framework.title, "standards": forms.standards_text(framework)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            made = services.new_framework_version(
                viewer,
                framework,
                title=form.cleaned_data["title"],
                standards=form.cleaned_data["standards"],
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, f"Saved as {made}. Rounds already open keep their version.")
            return redirect("selfassessment:frameworks")
    return render(
        request,
        "selfassessment/edit_framework.html",
        {"title": f"Edit {framework}", "framework": framework, "form": form},
    )


@require_GET
@login_required
def evidence(request: HttpRequest, pk: int) -> FileResponse:
    viewer = viewer_of(request)
    rating = selectors.rating_with_evidence(viewer, pk)
    if rating is None:
        raise Http404("No such evidence")
    services.record_evidence_download(viewer, rating)
    return FileResponse(
        rating.evidence_file.open("rb"),
        as_attachment=True,
        filename=rating.evidence_name,
        content_type=rating.evidence_type,
    )
