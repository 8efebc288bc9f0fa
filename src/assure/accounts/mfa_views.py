"""The second step of signing in, setting up an authenticator app, recovery codes, passkeys
and the person's own security page."""

import json
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp_webauthn import views as webauthn
from django_otp_webauthn.templatetags.otp_webauthn import get_configuration

from assure.accounts import mfa, selectors
from assure.accounts.forms import CodeForm
from assure.accounts.models import User
from assure.core import audit
from assure.core.middleware import is_verified

NEW_CODES = "assure_new_recovery_codes"
# After a wrong code, each device refuses codes for a moment (longer after each failure).
WRONG_CODE = (
    "The code is not right. Wait a few seconds, then enter the 6-digit code your app shows "
    "now, or one of your recovery codes"
)
WRONG_FIRST_CODE = (
    "The code is not right. Wait a few seconds, then enter the 6-digit code your app shows now"
)


def _next(request: HttpRequest) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return wanted if safe else resolve_url(settings.LOGIN_REDIRECT_URL)


def _with_next(name: str, next_url: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


def _person(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@require_http_methods(["GET", "POST"])
def second_step(request: HttpRequest) -> HttpResponse:
    """After the password: a code from the app, a recovery code or a passkey."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    next_url, person = _next(request), _person(request)
    if is_verified(person):
        return redirect(next_url)
    if not mfa.has_second_factor(person):
        return redirect(_with_next("accounts:mfa-set-up", next_url))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if mfa.verify_code(request, person, form.cleaned_data["code"]):
            return redirect(next_url)
        form.add_error("code", WRONG_CODE)
    context: dict[str, Any] = {"title": "Enter your code", "form": form, "next": next_url}
    if mfa.has_passkeys(person):
        context["webauthn_config"] = get_configuration(request)
    return render(request, "accounts/mfa_verify.html", context)


@require_http_methods(["GET", "POST"])
def set_up(request: HttpRequest) -> HttpResponse:
    """First sign-in: set up an authenticator app (forced: nothing else opens until it is)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    next_url, person = _next(request), _person(request)
    if mfa.has_second_factor(person):
        return redirect(_with_next("accounts:mfa-verify", next_url))
    device = mfa.pending_app(person)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = mfa.confirm_app(request, person, form.cleaned_data["code"])
        if codes is not None:
            request.session[NEW_CODES] = codes
            return redirect(_with_next("accounts:mfa-recovery-codes", next_url))
        form.add_error("code", WRONG_FIRST_CODE)
    context = {
        "title": "Set up your authenticator app",
        "form": form,
        "next": next_url,
        "qr_svg": mfa.qr_svg(device),
        "secret": mfa.secret_text(device),
    }
    return render(request, "accounts/mfa_set_up.html", context)


@require_http_methods(["GET", "POST"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes, shown once (asked for again with POST from the security page)."""
    person = _person(request)
    if request.method == "POST":
        request.session[NEW_CODES] = mfa.new_recovery_codes(person)
        return redirect("accounts:mfa-recovery-codes")
    codes = request.session.pop(NEW_CODES, None)
    context = {"title": "Your recovery codes", "codes": codes, "next": _next(request)}
    return render(request, "accounts/mfa_recovery_codes.html", context)


@require_GET
def security(request: HttpRequest) -> HttpResponse:
    """The person's own sign-in: password, app, recovery codes and passkeys."""
    person = _person(request)
    context = {
        "title": "Your sign-in and security",
        "app": selectors.authenticator_app(person),
        "codes_left": mfa.recovery_codes_left(person),
        "passkeys": selectors.passkeys(person),
        "webauthn_config": get_configuration(request),
    }
    return render(request, "accounts/security.html", context)


@require_POST
def remove_passkey(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request)
    passkey = selectors.own_passkey(person, pk)
    audit.record(person, audit.Action.DELETE, passkey, summary="Passkey removed by its owner")
    passkey.delete()
    messages.success(request, "The passkey has been removed")
    return redirect("accounts:security")


class CompletePasskeyRegistration(webauthn.CompleteCredentialRegistrationView):
    """The library's view, audited."""

    def post(self, *args: Any, **kwargs: Any) -> JsonResponse:
        response = super().post(*args, **kwargs)
        passkey = selectors.passkey(json.loads(response.content)["id"])
        audit.record(self.request.user, audit.Action.CREATE, passkey, summary="Passkey added")
        return response


class CompletePasskeyAuthentication(webauthn.CompleteCredentialAuthenticationView):
    """The library's view, audited."""

    def complete_auth(self, device: Any) -> Any:
        result = super().complete_auth(device)
        audit.record(device.user, audit.Action.SIGN_IN, device, summary="Second factor: passkey")
        return result
