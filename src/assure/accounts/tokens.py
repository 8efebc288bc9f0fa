"""One-time links sent by email: Django's password-reset tokens, each kind with its own salt
(so one kind of link never opens another's page) and its own lifetime, in minutes."""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.http import base36_to_int


class EmailedLinkTokens(PasswordResetTokenGenerator):
    """Valid once (the hash covers the password and last sign-in) and for
    ASSURE_EMAILED_LINK_MINUTES, whatever PASSWORD_RESET_TIMEOUT allows other links."""

    def __init__(self, purpose: str) -> None:
        self.key_salt = f"assure.accounts.tokens.{purpose}"
        super().__init__()

    def check_token(self, user: object, token: str | None) -> bool:
        if not token or not super().check_token(user, token):  # type: ignore[arg-type]
            return False
        try:
            made = base36_to_int(token.split("-")[0])
        except ValueError:
            return False
        age = self._num_seconds(self._now()) - made
        return age <= settings.ASSURE_EMAILED_LINK_MINUTES * 60


password_reset_tokens = EmailedLinkTokens("password-reset")
