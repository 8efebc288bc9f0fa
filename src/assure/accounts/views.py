"""Signing in and out, and changing or resetting a password."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.views.decorators.http import require_GET

from assure.accounts import forms
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
    extra_context = {"title": "Reset your password"}

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        # Links are built from SITE_URL, never from the request's Host header.
        minutes = settings.PASSWORD_RESET_TIMEOUT // 60
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
    extra_context = {"title": "Choose a new password"}

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        person = form.user
        audit.record(person, audit.Action.UPDATE, person, summary="Password reset by email link")
        return response


class PasswordResetDoneView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_done.html"
    extra_context = {"title": "Your password has been reset"}
