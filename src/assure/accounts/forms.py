"""Sign-in form: one message whether the user name is unknown or the password wrong."""

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm

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
