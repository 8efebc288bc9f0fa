"""Unlocking one's own account by an emailed link, when someone else's guesses locked it.

The link's token is Django's password-reset token with its own salt, bound to the lock it
was sent for: once the lock is cleared (or has expired) the token no longer matches, so a
link works once. It expires after ASSURE_EMAILED_LINK_MINUTES.
"""

from axes.models import AccessAttempt
from axes.utils import reset as reset_lockout
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from assure.accounts.models import User
from assure.accounts.tokens import EmailedLinkTokens
from assure.core import audit


def _lock_started(user: User) -> str:
    first = AccessAttempt.objects.filter(username=user.get_username()).order_by("attempt_time")
    started = first.values_list("attempt_time", flat=True).first()
    return started.isoformat() if started else ""


class UnlockTokens(EmailedLinkTokens):
    def _make_hash_value(self, user: User, timestamp: int) -> str:
        return f"{user.pk}{user.password}{timestamp}{_lock_started(user)}"


unlock_tokens = UnlockTokens("unlock")


def is_locked(user: User) -> bool:
    return AccessAttempt.objects.filter(username=user.get_username()).exists()


def send_unlock_link(username: str) -> None:
    """Email the person a link, if the account exists, is locked and has an address. The
    caller says the same thing whatever happened, so nobody learns which accounts exist."""
    user = User.objects.filter(username=username, is_active=True).exclude(email="").first()
    if user is None or not is_locked(user):
        return
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    link = settings.SITE_URL + reverse(
        "accounts:unlock", args=[uid, unlock_tokens.make_token(user)]
    )
    context = {"user": user, "link": link, "minutes": settings.ASSURE_EMAILED_LINK_MINUTES}
    body = render_to_string("accounts/unlock_email.txt", context)
    send_mail("Unlock your Assure account", body, None, [user.email])
    audit.record(None, audit.Action.UPDATE, user, summary="Account unlock link sent")


def unlock(user: User) -> None:
    """Clear the lock on this account (not on any address): the person proved they hold its
    email address."""
    with transaction.atomic():
        reset_lockout(username=user.get_username())
        audit.record(user, audit.Action.UPDATE, user, summary="Account unlocked by email link")
