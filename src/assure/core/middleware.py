"""Request id, session timeouts, no-store caching for signed-in pages and browser features."""

import uuid
from collections.abc import Callable
from datetime import UTC, datetime

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from assure.core.addresses import client_address
from assure.core.audit import RequestOrigin, current_origin

Handler = Callable[[HttpRequest], HttpResponse]

SIGNED_IN_AT = "assure_signed_in_at"
LAST_SEEN_AT = "assure_last_seen_at"
LAST_SEEN_RESOLUTION_SECONDS = 60


class RequestIdMiddleware:
    """Give each request an id (echoed in X-Request-ID) and note its origin for the audit trail."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = str(uuid.uuid4())
        token = current_origin.set(
            RequestOrigin(ip_address=client_address(request), request_id=request_id)
        )
        try:
            response = self.get_response(request)
        finally:
            current_origin.reset(token)
        response["X-Request-ID"] = request_id
        return response


class SessionTimeoutMiddleware:
    """Sign people out after 15 minutes idle or 12 hours signed in, whichever comes first."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and self._expired(request):
            logout(request)
            return redirect(f"{reverse(settings.LOGIN_URL)}?timed-out=1")
        # Asking how long is left is not activity (the warning asks it from idle pages).
        if request.user.is_authenticated and request.path != reverse("core:session-status"):
            now = timezone.now().timestamp()
            request.session.setdefault(SIGNED_IN_AT, now)
            # Noted at most once a minute, so a page view does not always write the session.
            if now - request.session.get(LAST_SEEN_AT, 0) >= LAST_SEEN_RESOLUTION_SECONDS:
                request.session[LAST_SEEN_AT] = now
        return self.get_response(request)

    @staticmethod
    def _expired(request: HttpRequest) -> bool:
        return seconds_left(request) < 0


def seconds_left(request: HttpRequest) -> float:
    """How long this session has before it ends, idle or at its absolute limit (negative: it
    has ended)."""
    now = timezone.now()
    left = float("inf")
    if signed_in := request.session.get(SIGNED_IN_AT):
        left = (_at(signed_in) + settings.SESSION_ABSOLUTE_TIMEOUT - now).total_seconds()
    if last_seen := request.session.get(LAST_SEEN_AT):
        left = min(left, (_at(last_seen) + settings.SESSION_IDLE_TIMEOUT - now).total_seconds())
    return left


def _at(timestamp: float) -> datetime:
    return datetime.fromtimestamp(timestamp, tz=UTC)


class NoStoreForSignedInMiddleware:
    """Pages seen signed in may hold sensitive data: tell browsers and proxies not to keep them."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.user.is_authenticated:
            response["Cache-Control"] = "no-store"
        return response


# Browser features no page uses are switched off; WebAuthn (passkeys) works on our own pages.
PERMISSIONS_POLICY = ", ".join(
    [
        "camera=()",
        "microphone=()",
        "geolocation=()",
        "payment=()",
        "usb=()",
        "publickey-credentials-get=(self)",
        "publickey-credentials-create=(self)",
    ]
)


class PermissionsPolicyMiddleware:
    """Send the Permissions-Policy header on every response."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
