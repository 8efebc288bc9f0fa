"""Request id, session timeouts, no-store caching for signed-in pages and browser features."""

import uuid
from collections.abc import Callable
from datetime import UTC, datetime

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.http import urlencode

from assure.core.addresses import client_address
from assure.core.origin import RequestOrigin, current_origin

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


# Pages anyone may see, signed in or not (the ops app's health check and first
# administrator's set-up link among them).
PUBLIC_PAGES = frozenset(
    {
        "accounts:sign-in",
        "accounts:sso-start",
        "accounts:sso-callback",
        "accounts:signed-out",
        "accounts:password-reset",
        "accounts:password-reset-sent",
        "accounts:password-reset-confirm",
        "accounts:password-reset-done",
        "accounts:unlock-request",
        "accounts:unlock",
        "core:cookies",
        "core:accessibility",
        "ops:healthz",
        "surveys:answer",
        "surveys:thanks",
        "ops:first-sign-in",
        "favicon",
    }
)
# Pages a person who has given their password, but not yet their second factor, may see.
SECOND_STEP_PAGES = frozenset(
    {
        "accounts:sign-out",
        "accounts:mfa-verify",
        "accounts:mfa-set-up",
        "otp_webauthn:credential-authentication-begin",
        "otp_webauthn:credential-authentication-complete",
        "otp_webauthn:js-i18n-catalog",
        "core:session-status",
        "core:keep-alive",
    }
)


def is_verified(user: object) -> bool:
    """Signed in with a password and a second factor (django_otp's OTPMiddleware decides)."""
    check = getattr(user, "is_verified", None)
    return bool(getattr(user, "is_authenticated", False) and check is not None and check())


class VerifiedSessionMiddleware:
    """Every page but the public ones and the sign-in steps needs a session verified by a
    second factor: people not signed in go to the sign-in page, people who have only given
    their password go to the second step (which sends them on to set one up if they have
    none). Static files are served before this (WhiteNoise)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            page = resolve(request.path_info).view_name
        except Resolver404:
            return self.get_response(request)  # the "page not found" page shows nothing
        allowed = PUBLIC_PAGES | (SECOND_STEP_PAGES if request.user.is_authenticated else set())
        if page in allowed or is_verified(request.user):
            return self.get_response(request)
        if request.user.is_authenticated:
            step = reverse("accounts:mfa-verify")
            return redirect(f"{step}?{urlencode({'next': request.get_full_path()})}")
        return redirect_to_login(request.get_full_path())


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
