"""Audit pages. Views are thin: permissions and reads via selectors, writes via services.

An audit names a child (by case number), so every page showing one is child-level and each
view of it is written to the audit trail. The dashboard shows counts only.
"""

from datetime import date
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assure.audits import agreement, charts, exports, forms, selectors, services
from assure.audits.models import GRADE_ORDER, Programme
from assure.audits.tools import ELIGIBILITY, ensure_builtin_tools
from assure.core import audit
from assure.core.forms import show_errors
from assure.core.viewer import viewer_of
from assure.indicators.selectors import current_snapshot
from assure.reviews.themes import ensure_themes

# How an audit page's children are scoped, for the audit trail: by audit, not by team.
AUDIT_SCOPE = "audits of the partnership"


def _today() -> date:
    return timezone.localdate()


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _eligibility_words(programme: Programme) -> str:
    if programme.eligibility.startswith(services.INDICATOR_PREFIX):
        return f"Children not meeting the tracker '{programme.eligibility.split(':', 1)[1]}'"
    return ELIGIBILITY.get(programme.eligibility, programme.eligibility)


# ---- my audits -------------------------------------------------------------------------------


@require_GET
@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """The auditor's own audits and the moderations offered to them."""
    viewer = viewer_of(request)
    viewer.require("audit", "do", child_level=True, record_type="audits.mine")
    audits = list(selectors.my_audits(viewer))
    moderations = list(selectors.my_moderations(viewer))
    audit.record(
        viewer,
        audit.Action.VIEW,
        record_type="audits.mine",
        summary=f"My audits: {len(audits)} audits, {len(moderations)} moderations",
    )
    return render(
        request,
        "audits/mine.html",
        {"title": "My audits", "audits": audits, "moderations": moderations, "today": _today()},
    )


# ---- tools -----------------------------------------------------------------------------------


@require_GET
@login_required
def tools(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    viewer.require("audit", "manage", record_type="audits.tool")
    ensure_builtin_tools(viewer.required_partnership())
    return render(
        request,
        "audits/tools.html",
        {"title": "Audit tools", "tools": selectors.tools_for(viewer)},
    )


@require_http_methods(["GET", "POST"])
@login_required
def tool_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """A new tool, or a new version of one (started from its latest questions)."""
    viewer = viewer_of(request)
    viewer.require("audit", "manage", record_type="audits.tool")
    tool = get_object_or_404(selectors.tools_for(viewer), pk=pk) if pk else None
    initial = {}
    if tool:
        initial["questions"] = forms.questions_text(tool.latest_version().questions.all())
    form = forms.ToolForm(request.POST or None, initial=initial, new_tool=tool is None)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.publish_tool(
                viewer,
                form.cleaned_data["questions"],
                tool=tool,
                name=form.cleaned_data.get("name", ""),
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, f"{version} published.")
            return redirect("audits:tools")
    title = f"New version of {tool.name}" if tool else "Add an audit tool"
    return render(
        request,
        "audits/form.html",
        {"title": title, "form": form, "back": "audits:tools", "button": "Publish"},
    )


# ---- programmes ------------------------------------------------------------------------------


@require_GET
@login_required
def programmes(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    viewer.require("audit", "manage", record_type="audits.programme")
    return render(
        request,
        "audits/programmes.html",
        {"title": "Audit programmes", "programmes": selectors.programmes_for(viewer)},
    )


@require_http_methods(["GET", "POST"])
@login_required
def programme_form(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    viewer.require("audit", "manage", record_type="audits.programme")
    partnership = viewer.required_partnership()
    ensure_builtin_tools(partnership)
    auditors = services.people_who_may(partnership, "do")
    form = forms.ProgrammeForm(
        request.POST or None,
        tools=selectors.tools_for(viewer),
        auditors=auditors,
        initial={"month": services.previous_month(_today()).strftime("%Y-%m"), "per_team": 2},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            programme = services.create_programme(
                viewer,
                tool_version=data["tool"].latest_version(),
                month=data["month"],
                per_team=data["per_team"],
                auditors=[a for a in auditors if a.pk in data["auditors"]],
                due_working_days=data["due_working_days"],
                eligibility=data["eligibility"],
                seed=data["seed"],
                thematic=data["thematic"],
                title=data["title"],
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            return redirect("audits:programme", programme.pk)
    return render(
        request,
        "audits/form.html",
        {
            "title": "Plan an audit programme",
            "form": form,
            "back": "audits:programmes",
            "button": "Continue",
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def programme(request: HttpRequest, pk: int) -> HttpResponse:
    """Draw the sample, see it, confirm it; then follow the audits and offer moderation."""
    viewer = viewer_of(request)
    viewer.require("audit", "manage", record_type="audits.programme", record_id=pk)
    found = get_object_or_404(selectors.programmes_for(viewer), pk=pk)
    if request.method == "POST":
        step = request.POST.get("step")
        try:
            if step == "draw":
                services.draw(viewer, found)
                messages.success(request, "Sample drawn. Check it, then confirm it.")
            elif step == "confirm":
                made = services.confirm(viewer, found, _today())
                messages.success(request, f"{_count(len(made), 'audit')} created and assigned.")
            elif step == "moderate":
                offered = services.offer_moderation(viewer, found)
                messages.success(
                    request, f"{_count(len(offered), 'audit')} offered for moderation."
                )
            else:
                raise Http404("No such step")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("audits:programme", pk)
    child_level = selectors.may_see_children(viewer)
    audits = list(
        found.audits.select_related("auditor", "moderation__moderator").order_by("team", "id")
    )
    if child_level:
        audit.record_children(
            viewer,
            audit.Action.VIEW,
            [child["person_id"] for child in found.drawn.get("sample", [])],
            current_snapshot(found.partnership_id),
            team_scope=AUDIT_SCOPE,
            instance=found,
            summary=f"Programme {found}: sample of {len(found.drawn.get('sample', []))} children",
        )
    return render(
        request,
        "audits/programme.html",
        {
            "title": str(found),
            "programme": found,
            "eligibility": _eligibility_words(found),
            "audits": audits,
            "child_level": child_level,
            "today": _today(),
        },
    )


# ---- an audit --------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def audit_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The child's case data beside the tool; its auditor answers, the others read."""
    viewer = viewer_of(request)
    viewer.require("audit", "view", child_level=True, record_type="audits.audit", record_id=pk)
    record = selectors.audit_detail(viewer, pk)
    is_auditor = record.auditor_id == viewer.user.pk and viewer.can("audit", "do", child_level=True)
    questions = list(record.programme.tool_version.questions.all())
    initial: dict[str, Any] = {
        "overall_grade": record.overall_grade,
        "findings": record.findings,
        "themes": list(record.themes.all()),
    }
    for q, answer in selectors.questions_with_answers(record):
        if answer:
            initial[f"q{q.pk}"] = answer.grade or answer.answer
            initial[f"c{q.pk}"] = answer.comment
    ensure_themes(record.programme.partnership)
    form = forms.AuditForm(
        request.POST or None,
        initial=initial,
        questions=questions,
        finished=record.finished,
        themes=selectors.themes_of(record),
    )
    if request.method == "POST":
        services.require_auditor(viewer, record)
        if form.is_valid():
            finish = "finish" in request.POST
            try:
                services.save_audit(
                    viewer,
                    record,
                    form.given(),
                    overall_grade=form.cleaned_data["overall_grade"],
                    findings=form.cleaned_data["findings"],
                    themes=list(form.cleaned_data["themes"]),
                    finish=finish,
                    reason=form.cleaned_data.get("reason", ""),
                )
            except ValidationError as error:
                show_errors(form, error)
            else:
                messages.success(
                    request,
                    f"Audit finished (version {record.version})."
                    if finish
                    else "Audit saved. You can finish it later.",
                )
                return redirect("audits:audit", pk)
    audit.record_children(
        viewer,
        audit.Action.VIEW,
        [record.person_id],
        current_snapshot(record.partnership_id),
        team_scope=AUDIT_SCOPE,
        instance=record,
        summary=f"Audit of child {record.person_id} ({record.programme.tool_version.tool.slug})",
    )
    owners = services.people_who_may(record.programme.partnership, "do")
    return render(
        request,
        "audits/audit.html",
        {
            "title": f"Audit {record.pk}: {record.programme.tool_version.tool.name}",
            "record": record,
            "form": form,
            "editable": is_auditor,
            "answers": selectors.questions_with_answers(record),
            "case": selectors.child_case(viewer, record.person_id),
            "actions": record.practice_actions.select_related("owner").prefetch_related(
                "updates__author"
            ),
            "action_form": forms.PracticeActionForm(owners=owners, today=_today()),
            "update_form": forms.PracticeUpdateForm(),
            "versions": record.versions.select_related("finished_by"),
            "today": _today(),
        },
    )


@require_POST
@login_required
def add_practice_action(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_of(request)
    viewer.require("audit", "do", child_level=True, record_type="audits.audit", record_id=pk)
    record = selectors.audit_detail(viewer, pk)
    owners = services.people_who_may(record.programme.partnership, "do")
    form = forms.PracticeActionForm(request.POST, owners=owners, today=_today())
    if form.is_valid():
        owner = next(o for o in owners if o.pk == form.cleaned_data["owner"])
        services.add_practice_action(
            viewer,
            record,
            text=form.cleaned_data["text"],
            owner=owner,
            due_date=form.cleaned_data["due_date"],
        )
        messages.success(request, "Practice action added.")
    else:
        messages.error(
            request,
            "The practice action was not added: "
            + " ".join(str(e) for errors in form.errors.values() for e in errors),
        )
    return redirect(reverse("audits:audit", args=[pk]) + "#practice-actions")


@require_POST
@login_required
def practice_update(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_of(request)
    viewer.require(
        "audit", "do", child_level=True, record_type="audits.practiceaction", record_id=pk
    )
    action = get_object_or_404(selectors.practice_actions_for(viewer), pk=pk)
    form = forms.PracticeUpdateForm(request.POST)
    if form.is_valid():
        try:
            services.update_practice_action(
                viewer, action, text=form.cleaned_data["text"], done=form.cleaned_data["done"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Update added.")
    else:
        messages.error(request, "Enter what has happened")
    return redirect(reverse("audits:audit", args=[action.audit_id]) + "#practice-actions")


# ---- moderation ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def moderation(request: HttpRequest, pk: int) -> HttpResponse:
    """The moderator grades blind; the first grades appear only once theirs are in."""
    viewer = viewer_of(request)
    viewer.require(
        "audit", "moderate", child_level=True, record_type="audits.moderation", record_id=pk
    )
    found = selectors.moderation_detail(viewer, pk)
    record = found.audit
    if found.moderator_id != viewer.user.pk and not found.finished:
        services.require_moderator(viewer, found)  # refused and audited: not theirs to see yet
    questions = list(record.programme.tool_version.questions.all())
    form = forms.ModerationForm(
        request.POST if request.POST.get("step") == "grades" else None, questions=questions
    )
    conversation = forms.ConversationForm(
        request.POST if request.POST.get("step") == "conversation" else None,
        initial={"notes": found.conversation_notes, "outcome": found.outcome},
    )
    if request.method == "POST":
        try:
            if request.POST.get("step") == "grades" and form.is_valid():
                services.moderate(viewer, found, form.grades(), form.cleaned_data["overall_grade"])
                messages.success(request, "Moderation finished.")
                return redirect("audits:moderation", pk)
            if request.POST.get("step") == "conversation" and conversation.is_valid():
                services.record_conversation(
                    viewer,
                    found,
                    notes=conversation.cleaned_data["notes"],
                    outcome=conversation.cleaned_data["outcome"],
                )
                messages.success(request, "Moderation conversation recorded.")
                return redirect("audits:moderation", pk)
        except ValidationError as error:
            show_errors(form if request.POST.get("step") == "grades" else conversation, error)
    audit.record_children(
        viewer,
        audit.Action.VIEW,
        [record.person_id],
        current_snapshot(record.partnership_id),
        team_scope=AUDIT_SCOPE,
        instance=found,
        summary=f"Moderation of the audit of child {record.person_id}",
    )
    comparison = []
    if found.finished:
        for q, answer in selectors.questions_with_answers(record):
            if q.graded:
                first = answer.grade if answer else ""
                second = found.grades.get(str(q.pk), "")
                comparison.append((q.text, first, second, services.grade_distance(first, second)))
        comparison.append(
            (
                selectors.OVERALL,
                record.overall_grade,
                found.overall_grade,
                services.grade_distance(record.overall_grade, found.overall_grade),
            )
        )
    return render(
        request,
        "audits/moderation.html",
        {
            "title": f"Moderate audit {record.pk}",
            "moderation": found,
            "record": record,
            "form": form,
            "conversation": conversation,
            "comparison": comparison,
            "case": selectors.child_case(viewer, record.person_id),
            "is_moderator": found.moderator_id == viewer.user.pk,
        },
    )


# ---- agreement, dashboard and exports --------------------------------------------------------


@require_GET
@login_required
def agreement_page(request: HttpRequest) -> HttpResponse:
    """Agreement between auditors and moderators; by auditor only for child-level readers."""
    viewer = viewer_of(request)
    viewer.require("audit", "view", record_type="audits.agreement")
    rows = [r for r in selectors.moderation_rows(viewer) if r.moderator_grade]
    child_level = selectors.may_see_children(viewer)
    pairs = [
        agreement.Pair(
            tool=r.tool,
            question=r.question,
            auditor=r.auditor,
            month=r.month,
            first=r.auditor_grade,
            second=r.moderator_grade,
        )
        for r in rows
    ]
    overall, groups = services._agree(pairs)
    if not child_level:
        groups = [(name, result) for name, result in groups if not name.startswith("Auditor ")]
    return render(
        request,
        "audits/agreement.html",
        {
            "title": "Agreement between auditors and moderators",
            "overall": overall,
            "groups": groups,
            "drift": selectors.drift(rows) if child_level else [],
        },
    )


@require_GET
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    viewer.require("audit", "view", record_type="audits.dashboard")
    data = selectors.dashboard(viewer, _today())
    return render(
        request,
        "audits/dashboard.html",
        {
            "title": "QA dashboard",
            "data": data,
            "chart": charts.grades_svg(data.grades),
            "small_count": settings.SMALL_COUNT_THRESHOLD,
            "grades": GRADE_ORDER,
            "child_level": selectors.may_see_children(viewer),
        },
    )


@require_GET
@login_required
def export_grades(request: HttpRequest, fmt: str) -> HttpResponse:
    viewer = viewer_of(request)
    viewer.require("audit", "view", record_type="audits.dashboard")
    data = selectors.dashboard(viewer, _today())
    response = exports.table_response(
        exports.GRADES_HEADERS, exports.grade_rows(data), fmt, f"audit-grades-{_today()}"
    )
    audit.record(
        viewer, audit.Action.EXPORT, record_type="audits.dashboard", summary=f"Grades as {fmt}"
    )
    return response


@require_GET
@login_required
def moderation_sheet(request: HttpRequest, fmt: str) -> HttpResponse:
    """The moderation sheet of domain.md section 7 (names auditors and teams: child-level)."""
    viewer = viewer_of(request)
    viewer.require("audit", "view", child_level=True, record_type="audits.moderation-sheet")
    rows = selectors.moderation_rows(viewer)
    response = exports.table_response(
        selectors.SHEET_COLUMNS, exports.sheet_rows(rows), fmt, f"moderation-sheet-{_today()}"
    )
    audit.record(
        viewer,
        audit.Action.EXPORT,
        record_type="audits.moderation-sheet",
        summary=f"Moderation sheet as {fmt}: {len(rows)} rows",
    )
    return response
