"""Signing in and out, and changing or resetting a password."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.views.decorators.http import require_GET, require_http_methods

from assure.accounts import forms, selectors
from assure.accounts.tokens import password_reset_tokens
from assure.accounts.unlock import send_unlock_link, unlock, unlock_tokens
from assure.core import audit


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    authentication_form = forms.SignInForm
    redirect_authenticated_user = True
    extra_context = {"title": "Sign in"}


class SignOutView(auth_views.LogoutView):
    """Sign out (POST only, so a link elsewhere cannot sign someone out)."""


@require_GET
def signed_out(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/signed_out.html", {"title": "You have signed out"})


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
