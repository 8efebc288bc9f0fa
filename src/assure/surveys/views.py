"""Survey pages. The manager's and readers' pages are thin over selectors and services; the
answer page is public (no sign-in) and keeps nothing about the person or their request."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from markupsafe import Markup

from assure.core import audit
from assure.core.context import page_context
from assure.core.forms import show_errors
from assure.core.viewer import viewer_of
from assure.surveys import charts, exports, forms, selectors, services
from assure.surveys.models import Survey, SurveyLink
from assure.surveys.templates import TEMPLATES, questions_text


def _survey(request: HttpRequest, pk: int) -> Survey:
    survey = selectors.survey_for(viewer_of(request), pk)
    if survey is None:
        raise Http404("No such survey")
    return survey


def _by(request: HttpRequest) -> str:
    by = request.GET.get("by", "agency")
    return by if by in selectors.BREAKDOWNS else "agency"


@require_GET
@login_required
def surveys(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    return render(
        request,
        "surveys/list.html",
        {
            "title": "Practitioner surveys",
            "surveys": selectors.surveys_for(viewer),
            "may_manage": viewer.can("survey", "manage"),
            "templates": TEMPLATES.values(),
            "small_count": settings.SMALL_COUNT_THRESHOLD,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def new_survey(request: HttpRequest) -> HttpResponse:
    """A survey written from scratch or started from a built-in template (?template=key)."""
    viewer = viewer_of(request)
    viewer.require("survey", "manage", record_type="surveys.survey")
    template = TEMPLATES.get(request.GET.get("template", ""))
    initial = {}
    if template:
        initial = {
            "title": template.title,
            "introduction": template.introduction,
            "questions": questions_text(template.questions),
            "template": template.key,
        }
    form = forms.SurveyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            survey = services.create_survey(
                viewer,
                title=data["title"],
                introduction=data["introduction"],
                questions=data["questions"],
                template=data["template"],
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, f"'{survey}' is ready: give each agency its own link.")
            return redirect("surveys:survey", survey.pk)
    return render(
        request,
        "surveys/new.html",
        {"title": "Build a survey", "form": form, "template": template},
    )


@require_GET
@login_required
def survey_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The survey's links and its results, by agency or by role."""
    viewer = viewer_of(request)
    survey = _survey(request, pk)
    results = selectors.results(viewer, survey, _by(request))
    links = selectors.links_for(viewer, survey)
    answer_urls = {
        link.pk: request.build_absolute_uri(reverse("surveys:answer", args=[link.token]))
        for link in links
    }
    return render(
        request,
        "surveys/survey.html",
        {
            "title": survey.title,
            "survey": survey,
            "results": results,
            "charts": {r.question.pk: charts.answers_svg(r) for r in results.questions if r.rows},
            "links": links,
            "answer_urls": answer_urls,
            "may_manage": viewer.can("survey", "manage"),
            "may_read_text": viewer.can("survey", "free_text"),
            "breakdowns": selectors.BREAKDOWNS,
            "small_count": settings.SMALL_COUNT_THRESHOLD,
        },
    )


@require_GET
@login_required
def export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    viewer = viewer_of(request)
    survey = _survey(request, pk)
    if fmt not in ("csv", "xlsx"):
        raise Http404("Export as csv or xlsx")
    results = selectors.results(viewer, survey, _by(request))
    audit.record(
        viewer.user,
        audit.Action.EXPORT,
        survey,
        summary=f"Exported results of '{survey}' by {results.by} as {fmt}",
    )
    return exports.response(results, fmt)


@require_GET
@login_required
def compare(request: HttpRequest, pk: int) -> HttpResponse:
    """This run beside an earlier one: the share agreeing, its change, and whether it is
    more than chance."""
    viewer = viewer_of(request)
    survey = _survey(request, pk)
    form = forms.CompareForm(request.GET or None, runs=selectors.other_runs(viewer, survey))
    changes = None
    if form.is_valid():
        changes = selectors.compare(viewer, form.cleaned_data["before"], survey)
    return render(
        request,
        "surveys/compare.html",
        {
            "title": f"Compare {survey.title} with an earlier run",
            "survey": survey,
            "form": form,
            "changes": changes,
            "before": form.cleaned_data.get("before") if form.is_bound and changes else None,
        },
    )


@require_POST
@login_required
def close_link(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_of(request)
    link = selectors.link_for_manager(viewer, pk)
    if link is None:
        raise Http404("No such link")
    services.close_link(viewer, link)
    messages.success(request, f"The link for {link.agency} is closed: it takes no more answers.")
    return redirect("surveys:survey", link.survey_id)


# ---- the public answer page ------------------------------------------------------------------

# The blank answer form's fields by what the form shows (`AnswerForm.shown`), drawn once in
# each process: the same markup for everyone who follows a link (the CSRF token is outside
# it), and two thirds of the page's CPU when drawn each time.
_BLANK_FIELDS: dict[forms.Shown, Markup] = {}
_BLANK_FIELDS_KEPT = 100


def _blank_fields(form: forms.AnswerForm) -> Markup | None:
    """The fields of a form not yet sent; None for one shown again with its errors."""
    if form.is_bound:
        return None
    fields = _BLANK_FIELDS.get(form.shown)
    if fields is None:
        if len(_BLANK_FIELDS) >= _BLANK_FIELDS_KEPT:
            _BLANK_FIELDS.clear()
        fields = Markup(render_to_string("surveys/answer_fields.html", {"form": form}))  # noqa: S704
        _BLANK_FIELDS[form.shown] = fields
    return fields


def _unavailable(request: HttpRequest, link: SurveyLink | None) -> HttpResponse:
    title = "This survey link is closed" if link else "This survey link is not recognised"
    return render(
        request,
        "surveys/unavailable.html",
        {"title": title, "link": link},
        status=410 if link else 404,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, token: str) -> HttpResponse:
    """Answer a survey without signing in. Nothing about the person or the request is kept:
    no account, address, browser or time (only the day); no audit event is written. A post
    larger than SURVEY_MAX_POST_BYTES is refused before it is read (ops middleware)."""
    link = selectors.open_link(token)
    if link is None or not link.is_open:
        return _unavailable(request, link)
    form = forms.AnswerForm(request.POST or None, survey=link.survey)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.answer(link, form.answers(), form.cleaned_data["role"], form.questions)
        except services.RateLimited:
            form.add_error(
                None,
                "Too many answers have come through this link in the last few minutes. "
                "Wait 10 minutes, then send your answers again.",
            )
            status = 429
        except ValidationError as error:
            show_errors(form, error)
        else:
            return redirect("surveys:thanks", token)
    return render(
        request,
        "surveys/answer.html",
        {"title": link.survey.title, "link": link, "form": form, "fields": _blank_fields(form)},
        status=status,
    )


# The thank-you page is the same for every practitioner but for its CSP nonce: drawn once a
# process for what the layout shows a visitor not signed in (`page_context`), with a mark
# where each response's own nonce goes. Drawing it each time was most of the page's CPU.
_THANKS: dict[str, str] = {}
_NONCE_MARK = "\x00nonce\x00"


@never_cache
@require_GET
def thanks(request: HttpRequest, token: str) -> HttpResponse:
    if not selectors.link_known(token):
        return _unavailable(request, None)
    context = {"title": "Thank you"}
    if request.user.is_authenticated or len(messages.get_messages(request)):
        return render(request, "surveys/thanks.html", context)
    shown = page_context(request)
    nonce = shown.pop("cspNonce")
    key = repr(sorted(shown.items()))
    page = _THANKS.get(key)
    if page is None:
        if len(_THANKS) >= _BLANK_FIELDS_KEPT:
            _THANKS.clear()
        drawn = render_to_string("surveys/thanks.html", context, request)
        page = _THANKS[key] = drawn.replace(nonce, _NONCE_MARK)
    return HttpResponse(page.replace(_NONCE_MARK, nonce))
