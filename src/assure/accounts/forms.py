"""Sign-in and password forms: one message whether the user name is unknown or the password
wrong; new passwords checked by AUTH_PASSWORD_VALIDATORS and nothing else."""

from typing import Any

from django import forms
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)

from assure.core import audit
from assure.core.forms import GovukErrors


class SignInForm(GovukErrors, AuthenticationForm):
    required_messages = {"username": "Enter your user name", "password": "Enter your password"}
    error_messages = {
        "invalid_login": "Enter a correct user name and password. Both are case-sensitive.",
        "inactive": "Enter a correct user name and password. Both are case-sensitive.",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "User name"
        self.fields["username"].widget.attrs["autocomplete"] = "username"
        self.fields["password"].widget = forms.PasswordInput()


CHOOSING_ADVICE = (
    "At least 12 characters. Three or four random words together make a good password. "
    "It must not be a common password, your name or the partnership's name."
)


class NewPasswordFields(GovukErrors):
    """The new-password fields, labelled and hinted the same way wherever they appear."""

    required_messages = {
        "old_password": "Enter your current password",
        "new_password1": "Enter a new password",
        "new_password2": "Enter the new password again",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = self.fields  # type: ignore[attr-defined]
        fields["new_password1"].label = "New password"
        fields["new_password1"].help_text = CHOOSING_ADVICE
        fields["new_password2"].label = "Confirm new password"
        for name in ("new_password1", "new_password2"):
            fields[name].widget = forms.PasswordInput(attrs={"autocomplete": "new-password"})
        if "old_password" in fields:
            fields["old_password"].label = "Current password"
            fields["old_password"].widget = forms.PasswordInput()


class ChangePasswordForm(NewPasswordFields, PasswordChangeForm):
    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_incorrect": "Your current password is not right. Enter it again.",
        "password_mismatch": "The two new passwords do not match. Enter the same one twice.",
    }


class SetNewPasswordForm(NewPasswordFields, SetPasswordForm):
    error_messages = {
        **SetPasswordForm.error_messages,
        "password_mismatch": "The two new passwords do not match. Enter the same one twice.",
    }


class ResetPasswordForm(GovukErrors, PasswordResetForm):
    """Ask for a reset link by email address. The page says the same whether or not the
    address is known; each link sent is audited against its person."""

    required_messages = {"email": "Enter your email address"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "Email address"
        self.fields["email"].error_messages["invalid"] = (
            "Enter an email address in the correct format, like name@example.org"
        )

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        super().send_mail(
            subject_template_name,
            email_template_name,
            context,
            from_email,
            to_email,
            html_email_template_name,
        )
        person = context["user"]
        audit.record(None, audit.Action.UPDATE, person, summary="Password reset link sent")


class UnlockForm(GovukErrors, forms.Form):
    """Ask for a link that unlocks one's own account."""

    username = forms.CharField(label="User name", max_length=150)
    required_messages = {"username": "Enter your user name"}


class CodeForm(GovukErrors, forms.Form):
    """A code from the authenticator app, or a recovery code."""

    code = forms.CharField(label="Code", max_length=20)
    required_messages = {"code": "Enter the code from your authenticator app"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        attrs = {"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        self.fields["code"].widget.attrs.update(attrs)
