"""Home, information pages, error pages and the audit trail search."""

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from assure.accounts.models import Role
from assure.core import audit, permissions
from assure.core.forms import AuditSearchForm
from assure.core.middleware import LAST_SEEN_AT, seconds_left
from assure.core.navigation import menu_for
from assure.core.selectors import search_audit_events
from assure.core.viewer import viewer_of
from assure.reviews.todo import SHOWN, todo_for


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """What this person has to do now, by their roles, then what they can do here."""
    viewer = viewer_of(request)
    roles = [Role(r).label for r in sorted(viewer.roles)]
    today = timezone.localdate()
    todo = todo_for(viewer, today)
    request.todo_count = todo.count  # type: ignore[attr-defined]  # the navigation shows it
    return render(
        request,
        "core/home.html",
        {
            "title": "Home",
            "roles": roles,
            "menu": menu_for(viewer),
            "todo": todo,
            "today": today,
            "shown": SHOWN,
        },
    )


@require_POST
@login_required
def keep_alive(request: HttpRequest) -> HttpResponse:
    """'Stay signed in' (or typing in a form): the person is here, so their idle time restarts."""
    request.session[LAST_SEEN_AT] = timezone.now().timestamp()
    return HttpResponse(status=204)


@require_GET
@login_required
def session_status(request: HttpRequest) -> JsonResponse:
    """How many seconds this session has left; asking does not count as activity, so an idle
    tab can tell whether the person is busy in another one."""
    left = seconds_left(request)
    idle = settings.SESSION_IDLE_TIMEOUT.total_seconds()
    return JsonResponse({"seconds_left": int(min(left, idle))})


@require_GET
def cookies(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "core/cookies.html",
        {
            "title": "Cookies",
            "session_cookie": settings.SESSION_COOKIE_NAME,
            "csrf_cookie": settings.CSRF_COOKIE_NAME,
        },
    )


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html", {"title": "Accessibility statement"})


@require_GET
@login_required
def audit_trail(request: HttpRequest) -> HttpResponse:
    """Search the audit trail by person, record and date (system administrators)."""
    viewer = viewer_of(request)
    viewer.require("audit_trail", "view")
    form = AuditSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = search_audit_events(filters)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    searched = {k: str(v) for k, v in filters.items() if v}
    audit.record(
        viewer,
        audit.Action.VIEW,
        record_type="core.auditevent",
        summary=f"Audit trail search, page {page.number}: "
        + (", ".join(f"{k} {v}" for k, v in searched.items()) or "everything"),
        changes={"search": searched, "page": page.number},
    )
    return render(request, "core/audit.html", {"title": "Audit trail", "form": form, "page": page})


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """The icon's hashed static address, looked up when asked (the manifest may not exist yet)."""
    return HttpResponsePermanentRedirect(static("images/favicon.ico"))


def _error(request: HttpRequest, status: int, title: str, **context: Any) -> HttpResponse:
    return render(request, f"errors/{status}.html", {"title": title, **context}, status=status)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Refused: the page says it is about children's records only when that is the reason."""
    about_children = str(exception or "").endswith(permissions.CHILD_LEVEL_REFUSAL)
    return _error(
        request,
        403,
        "You do not have permission to see this page",
        about_children=about_children,
    )


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Not found. A signed-in person's 404 is audited: record pages answer 404, not 403, for
    a record outside the person's partnership, so this is where those refusals are seen."""
    if request.user.is_authenticated:
        audit.record(
            viewer_of(request),
            audit.Action.PERMISSION_DENIED,
            record_type="page-not-found",
            summary=f"Not found (missing, or outside their partnership): {request.path}",
        )
    return _error(request, 404, "Page not found")


def server_error(request: HttpRequest) -> HttpResponse:
    """Rendered without the request's context, so it works even when the database does not."""
    body = render_to_string(
        "errors/500.html", {"title": "Sorry, there is a problem with the service"}
    )
    return HttpResponse(body, status=500)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 400, "Sorry, there is a problem with that request")
