"""Second factors: an authenticator app (TOTP), recovery codes and passkeys, through django-otp
and django-otp-webauthn (no cryptography of our own).

A session is *verified* once `django_otp.login` has recorded the device that proved it;
`VerifiedSessionMiddleware` keeps unverified sessions to the sign-in pages. A lost factor is
reset only when a second system administrator approves another's request.
"""

import base64
from collections.abc import Iterable

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.models import Device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from assure.accounts.models import MfaReset, User
from assure.accounts.services import SeparationOfDuties
from assure.core import audit
from assure.core.permissions import require

APP_NAME = "Authenticator app"
# The demo's people get an app with this name: `assure demo-code` reads only these.
DEMO_APP_NAME = "Demo authenticator app (synthetic data only)"
RECOVERY_NAME = "Recovery codes"
RECOVERY_CODES = 10


def has_second_factor(user: User) -> bool:
    """Whether the person has finished enrolling (a confirmed app or passkey)."""
    return (
        TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        or WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()
    )


def has_passkeys(user: User) -> bool:
    return WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()


def pending_app(user: User) -> TOTPDevice:
    """The authenticator app being set up: one unconfirmed device, kept until confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=APP_NAME, confirmed=False)


def secret_text(device: TOTPDevice) -> str:
    """The secret as people type it into an app: base32, in groups of four."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The app's set-up link as an inline SVG QR code (no script, no inline style)."""
    import segno  # here: only the set-up page draws one

    return str(
        segno.make(device.config_url, error="m").svg_inline(
            scale=5, light="#fff", title="QR code to scan with your authenticator app"
        )
    )


def current_code(device: TOTPDevice) -> str:
    """The code the app shows now (the demo prints it; tests type it)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def enrol_demo_app(user: User) -> TOTPDevice:
    """The demo's people start with an app set up, whose codes `assure demo-code` prints."""
    device, created = TOTPDevice.objects.get_or_create(
        user=user, name=DEMO_APP_NAME, defaults={"confirmed": True}
    )
    if created:
        audit.record(None, audit.Action.CREATE, device, summary="Demo authenticator app set up")
    return device


def _normalise(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def confirm_app(request: HttpRequest, user: User, code: str) -> list[str] | None:
    """Confirm the app with its first code; verify the session; make recovery codes.
    Returns the codes (shown once), or None when the code is wrong."""
    device = pending_app(user)
    with transaction.atomic():
        if not device.verify_token(_normalise(code)):
            return None
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = new_recovery_codes(user)
        audit.record(user, audit.Action.CREATE, device, summary="Authenticator app set up")
    otp_login(request, device)
    return codes


def new_recovery_codes(user: User) -> list[str]:
    """Ten new single-use recovery codes; any earlier ones stop working."""
    with transaction.atomic():
        device, _ = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_NAME)
        device.token_set.all().delete()
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
        audit.record(user, audit.Action.UPDATE, device, summary="New recovery codes made")
    return codes


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def verify_code(request: HttpRequest, user: User, code: str) -> Device | None:
    """Check an app code or a recovery code (each device throttles its own failures)."""
    device = match_token(user, _normalise(code))
    if device is None:
        audit.record(user, audit.Action.FAILED_SIGN_IN, user, summary="Wrong second-factor code")
        return None
    kind = "recovery code" if isinstance(device, StaticDevice) else "authenticator app"
    otp_login(request, device)
    audit.record(user, audit.Action.SIGN_IN, device, summary=f"Second factor: {kind}")
    return device


def devices(user: User) -> Iterable[Device]:
    yield from TOTPDevice.objects.filter(user=user, confirmed=True)
    yield from WebAuthnCredential.objects.filter(user=user, confirmed=True)


# Resetting a lost factor: one administrator asks, another approves.


def request_reset(actor: User, person: User, reason: str) -> MfaReset:
    require(actor, "user", "manage", record_type="accounts.user", record_id=person.pk)
    with transaction.atomic():
        reset = MfaReset.objects.create(person=person, requested_by=actor, reason=reason)
        audit.record(
            actor,
            audit.Action.CREATE,
            reset,
            summary=f"Asked to reset {person.get_username()}'s second factor",
            changes={"reason": reason},
        )
    return reset


def approve_reset(actor: User, reset: MfaReset) -> None:
    """Remove the person's app, recovery codes and passkeys: they enrol again at next sign-in."""
    require(actor, "user", "manage", record_type="accounts.mfareset", record_id=reset.pk)
    if actor.pk in (reset.requested_by_id, reset.person_id):
        audit.record(
            actor,
            audit.Action.PERMISSION_DENIED,
            reset,
            summary="Refused: a second administrator must approve this reset",
        )
        raise SeparationOfDuties(
            "A second system administrator must approve this: not the one who asked for it, "
            "and not the person whose factor it is"
        )
    with transaction.atomic():
        person = reset.person
        TOTPDevice.objects.filter(user=person).delete()
        StaticDevice.objects.filter(user=person).delete()
        WebAuthnCredential.objects.filter(user=person).delete()
        reset.approved_by, reset.approved_at = actor, timezone.now()
        reset.save(update_fields=["approved_by", "approved_at"])
        audit.record(
            actor,
            audit.Action.UPDATE,
            reset,
            summary=f"Approved: {person.get_username()}'s second factors removed",
        )
