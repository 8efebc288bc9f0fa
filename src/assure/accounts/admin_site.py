"""The admin site for system administrators: everyone else is refused (and audited), never
shown the admin site's own sign-in page."""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.urls import reverse

from assure.core import audit
from assure.core.viewer import viewer_of

View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def may_manage(request: HttpRequest) -> bool:
    return bool(request.user.is_active and viewer_of(request).can("user", "manage"))


def _audit_refusal(request: HttpRequest, summary: str) -> None:
    audit.record(
        request.user,
        audit.Action.PERMISSION_DENIED,
        record_type="admin",
        record_id=request.path[:64],
        summary=summary,
        changes={"method": request.method or ""},
    )


def _refuse(request: HttpRequest) -> HttpResponse:
    _audit_refusal(request, "Refused the admin site")
    raise PermissionDenied("user.manage")


class AssureAdminSite(admin.AdminSite):
    site_header = "Assure: people and agencies"
    site_title = "Assure administration"

    def has_permission(self, request: HttpRequest) -> bool:
        return may_manage(request)

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        """Assure's own sign-in (with its second factor) for everyone; a refusal for people
        already signed in who are not system administrators."""
        if request.user.is_authenticated and not self.has_permission(request):
            return _refuse(request)
        return redirect_to_login(request.GET.get("next") or reverse("admin:index"))

    def admin_view(self, view: View, cacheable: bool = False) -> View:
        guarded = super().admin_view(view, cacheable)

        @wraps(view)
        def inner(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if request.user.is_authenticated and not self.has_permission(request):
                return _refuse(request)
            try:
                return guarded(request, *args, **kwargs)
            except PermissionDenied:
                # e.g. deleting (never allowed) or changing a grant outside its person's page
                _audit_refusal(request, "Refused in the admin site")
                raise

        return cast(View, inner)
