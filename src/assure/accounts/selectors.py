"""Reads for the sign-in pages: a person named by an emailed link, and their own factors.

Each read is of the signed-in person's own devices (or of the person a signed token names),
so no partnership scoping applies here.
"""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.http import urlsafe_base64_decode
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from assure.accounts.models import User


def person_in_link(uidb64: str) -> User | None:
    """The person an emailed link's id names; None for a malformed or unknown id."""
    try:
        return User.objects.get(pk=urlsafe_base64_decode(uidb64).decode())
    except (ValueError, User.DoesNotExist):
        return None


def authenticator_app(person: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=person, confirmed=True).first()


def passkeys(person: User) -> QuerySet[WebAuthnCredential]:
    return WebAuthnCredential.objects.filter(user=person, confirmed=True)


def own_passkey(person: User, pk: int) -> WebAuthnCredential:
    """One of the person's passkeys (404 for anyone else's)."""
    return get_object_or_404(WebAuthnCredential, pk=pk, user=person)


def passkey(pk: int) -> WebAuthnCredential:
    """A passkey just registered, by the id the library's answer gives."""
    return WebAuthnCredential.objects.get(pk=pk)
