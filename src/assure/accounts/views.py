"""Signing in and out, and changing or resetting a password."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_GET, require_http_methods

from assure.accounts import forms, selectors, sso
from assure.accounts.tokens import password_reset_tokens
from assure.accounts.unlock import send_unlock_link, unlock, unlock_tokens
from assure.core import audit

SSO_NEXT = "assure_sso_next"  # where to go once signed in with the organisation's account


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    authentication_form = forms.SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            title="Sign in", single_sign_on=sso.is_configured(), **kwargs
        )


class SignOutView(auth_views.LogoutView):
    """Sign out (POST only, so a link elsewhere cannot sign someone out), telling the browser to
    clear what it kept. Someone who signed in with their organisation's account is offered its
    sign-out page too."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        organisation = sso.signed_in_with_sso(request)
        response = super().post(request, *args, **kwargs)
        # The browser forgets pages and storage kept from the session (cookies stay: the
        # session's is already ended on the server, and the CSRF one is needed to sign in).
        response["Clear-Site-Data"] = '"cache", "storage"'
        if organisation and response.status_code == 302:
            response["Location"] = f"{reverse('accounts:signed-out')}?organisation=1"
        return response


@require_GET
def signed_out(request: HttpRequest) -> HttpResponse:
    end_session = sso.end_session_url() if request.GET.get("organisation") else None
    return render(
        request,
        "accounts/signed_out.html",
        {"title": "You have signed out", "end_session_url": end_session},
    )


@require_GET
def sso_start(request: HttpRequest) -> HttpResponse:
    """'Sign in with your organisation's account': off to the identity provider."""
    if not sso.is_configured():
        raise Http404("Single sign-on is not set up")
    request.session[SSO_NEXT] = _safe_next(request)
    return sso.start(request)


@require_GET
def sso_callback(request: HttpRequest) -> HttpResponse:
    """The identity provider sends the person back here (the redirect URI)."""
    if not sso.is_configured():
        raise Http404("Single sign-on is not set up")
    next_url = request.session.pop(SSO_NEXT, None) or resolve_url(settings.LOGIN_REDIRECT_URL)
    try:
        signed_in = sso.finish(request)
    except sso.Refused as refusal:
        context = {"title": "You cannot sign in with that account", "message": str(refusal)}
        return render(request, "accounts/sso_refused.html", context, status=403)
    if signed_in.provider_mfa:
        return redirect(next_url)
    # Assure's own second factor (or setting one up) before anything else.
    return redirect(f"{reverse('accounts:mfa-verify')}?{urlencode({'next': next_url})}")


def _safe_next(request: HttpRequest) -> str:
    wanted = request.GET.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return wanted if safe else resolve_url(settings.LOGIN_REDIRECT_URL)


class ChangePasswordView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = forms.ChangePasswordForm
    success_url = reverse_lazy("core:home")
    extra_context = {"title": "Change your password"}

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        response = super().form_valid(form)
        person = form.user
        audit.record(person, audit.Action.UPDATE, person, summary="Password changed by its owner")
        messages.success(self.request, "Your password has been changed")
        return response


class ResetPasswordView(auth_views.PasswordResetView):
    """Ask for a reset link; the answer never says whether the address is known."""

    template_name = "accounts/password_reset.html"
    form_class = forms.ResetPasswordForm
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-sent")
    token_generator = password_reset_tokens
    extra_context = {"title": "Reset your password"}

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        # Links are built from SITE_URL, never from the request's Host header.
        minutes = settings.ASSURE_EMAILED_LINK_MINUTES
        self.extra_email_context = {"site_url": settings.SITE_URL, "minutes": minutes}
        return super().form_valid(form)


class ResetPasswordSentView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_sent.html"
    extra_context = {"title": "Check your email"}


class SetNewPasswordView(auth_views.PasswordResetConfirmView):
    """The emailed link: works once (the token depends on the password) and expires."""

    template_name = "accounts/password_reset_confirm.html"
    form_class = forms.SetNewPasswordForm
    success_url = reverse_lazy("accounts:password-reset-done")
    token_generator = password_reset_tokens
    extra_context = {"title": "Choose a new password"}

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        person = form.user
        audit.record(person, audit.Action.UPDATE, person, summary="Password reset by email link")
        return response


class PasswordResetDoneView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_done.html"
    extra_context = {"title": "Your password has been reset"}


@require_http_methods(["GET", "POST"])
def unlock_request(request: HttpRequest) -> HttpResponse:
    """Ask for an unlock link; the answer is the same whether or not the account exists."""
    form = forms.UnlockForm(request.POST or None, initial={"username": request.GET.get("username")})
    if request.method == "POST" and form.is_valid():
        send_unlock_link(form.cleaned_data["username"])
        return render(request, "accounts/unlock_sent.html", {"title": "Check your email"})
    return render(
        request, "accounts/unlock_request.html", {"title": "Unlock your account", "form": form}
    )


@require_http_methods(["GET", "POST"])
def unlock_account(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """The emailed link. Opening it shows a button: mail scanners that open links unlock nothing."""
    user = selectors.person_in_link(uidb64)
    if user is None or not unlock_tokens.check_token(user, token):
        return render(
            request,
            "accounts/unlock_invalid.html",
            {"title": "This link has expired or has been used"},
        )
    if request.method == "POST":
        unlock(user)
        return render(request, "accounts/unlock_done.html", {"title": "Your account is unlocked"})
    return render(request, "accounts/unlock_confirm.html", {"title": "Unlock your account"})
