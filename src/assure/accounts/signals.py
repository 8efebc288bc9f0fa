"""Sign-in, sign-out and failed sign-in go to the audit trail, through Django's auth signals."""

from typing import Any

from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from assure.accounts.sso import BACKEND as SSO_BACKEND
from assure.core import audit
from assure.core.middleware import LAST_SEEN_AT, SIGNED_IN_AT


@receiver(user_logged_in)
def on_sign_in(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    now = timezone.now().timestamp()
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN_AT] = now
    if (
        request.session.get(BACKEND_SESSION_KEY) != SSO_BACKEND
    ):  # single sign-on audits with its claims
        audit.record(user, audit.Action.SIGN_IN, user)


@receiver(user_logged_out)
def on_sign_out(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit.record(user, audit.Action.SIGN_OUT, user)


@receiver(user_login_failed)
def on_failed_sign_in(sender: Any, credentials: dict[str, Any], **kwargs: Any) -> None:
    audit.record(
        None,
        audit.Action.FAILED_SIGN_IN,
        record_type="accounts.user",
        actor_username=str(credentials.get("username", "")),
        summary="Sign-in failed",
    )
