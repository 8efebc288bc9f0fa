"""The second factor: forced set-up, codes, recovery codes, the verified-session rule and the
two-administrator reset of a lost factor."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from assure.accounts import mfa
from assure.accounts.models import MfaReset, Role
from assure.accounts.services import SeparationOfDuties
from assure.core.models import AuditEvent
from conftest import TEST_PASSWORD, authenticator

SIGN_IN = reverse("accounts:sign-in")
CODE = reverse("accounts:mfa-verify")
SET_UP = reverse("accounts:mfa-set-up")


@pytest.fixture
def person(make_user):
    return make_user(Role.PARTNERSHIP_MANAGER, username="priya")


def give_password(client: Client) -> None:
    response = client.post(SIGN_IN, {"username": "priya", "password": TEST_PASSWORD})
    assert response.status_code == 302


def test_password_alone_opens_nothing_but_the_second_step(client, person) -> None:
    authenticator(person)
    give_password(client)
    for path in ("/", "/reviews/", "/audit/", "/admin/", reverse("accounts:security")):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(f"{CODE}?next="), path
    assert client.get(CODE).status_code == 200
    assert client.get(reverse("core:accessibility")).status_code == 200


def test_people_not_signed_in_are_sent_to_sign_in(client, db) -> None:
    response = client.get("/reviews/")
    assert response["Location"] == f"{SIGN_IN}?next=/reviews/"
    assert client.get(CODE)["Location"].startswith(SIGN_IN)
    assert client.get(SET_UP)["Location"].startswith(SIGN_IN)


def test_first_sign_in_must_set_up_an_app(client, person) -> None:
    give_password(client)
    assert client.get(CODE + "?next=/reviews/")["Location"] == f"{SET_UP}?next=%2Freviews%2F"
    page = client.get(SET_UP).content.decode()
    assert "<svg" in page
    device = TOTPDevice.objects.get(user=person, confirmed=False)
    assert mfa.secret_text(device) in page

    wrong = client.post(SET_UP, {"code": "000000", "next": "/reviews/"})
    assert "The code is not right" in wrong.content.decode()
    with time_machine.travel(timezone.now() + timedelta(seconds=5)):  # after the pause
        done = client.post(SET_UP, {"code": mfa.current_code(device), "next": "/reviews/"})
        assert done["Location"] == f"{reverse('accounts:mfa-recovery-codes')}?next=%2Freviews%2F"
        shown = client.get(done["Location"]).content.decode()
        codes = list(
            StaticToken.objects.filter(device__user=person).values_list("token", flat=True)
        )
        assert len(codes) == 10
        assert all(code in shown for code in codes)
        again = client.get(done["Location"]).content.decode()
        assert not any(code in again for code in codes)  # shown once
        assert client.get("/reviews/").status_code == 200
    assert AuditEvent.objects.filter(summary="Authenticator app set up").count() == 1


def test_a_code_is_needed_and_works_once(client, person) -> None:
    device = authenticator(person)
    give_password(client)
    assert "The code is not right" in client.post(CODE, {"code": "123456"}).content.decode()
    with time_machine.travel(timezone.now() + timedelta(seconds=5)):
        code = mfa.current_code(device)
        assert client.post(CODE, {"code": code})["Location"] == "/"
        client.post(reverse("accounts:sign-out"))
        give_password(client)
        replayed = client.post(CODE, {"code": code})
    assert replayed.status_code == 200  # the same code is not accepted twice
    assert AuditEvent.objects.filter(summary="Wrong second-factor code").count() == 2


def test_a_recovery_code_works_once(client, person) -> None:
    authenticator(person)
    codes = mfa.new_recovery_codes(person)
    give_password(client)
    assert client.post(CODE, {"code": codes[0].upper()})["Location"] == "/"
    assert AuditEvent.objects.filter(summary="Second factor: recovery code").exists()
    assert mfa.recovery_codes_left(person) == 9
    client.post(reverse("accounts:sign-out"))
    with time_machine.travel(timezone.now() + timedelta(seconds=5)):
        give_password(client)
        assert client.post(CODE, {"code": codes[0]}).status_code == 200


def test_the_security_page_makes_new_recovery_codes(client, person) -> None:
    client.force_login(person)
    old = mfa.new_recovery_codes(person)
    assert "10 unused recovery codes" in client.get(reverse("accounts:security")).content.decode()
    response = client.post(reverse("accounts:mfa-recovery-codes"), follow=True)
    new = list(StaticToken.objects.filter(device__user=person).values_list("token", flat=True))
    assert set(new).isdisjoint(old)
    assert all(code in response.content.decode() for code in new)


def test_a_lost_factor_is_reset_by_two_administrators(make_user, person) -> None:
    first = make_user(Role.SYSTEM_ADMINISTRATOR, username="admin1")
    second = make_user(Role.SYSTEM_ADMINISTRATOR, username="admin2")
    authenticator(person)
    mfa.new_recovery_codes(person)
    reset = mfa.request_reset(first, person, "Lost phone, rang the service desk")
    with pytest.raises(SeparationOfDuties):
        mfa.approve_reset(first, reset)  # nobody approves their own request
    assert mfa.has_second_factor(person)

    mfa.approve_reset(second, reset)
    assert not mfa.has_second_factor(person)
    assert mfa.recovery_codes_left(person) == 0
    reset.refresh_from_db()
    assert reset.approved_by == second
    events = AuditEvent.objects.filter(record_type="accounts.mfareset").order_by("pk")
    assert [(e.action, e.actor_username) for e in events] == [
        ("create", "admin1"),
        ("permission-denied", "admin1"),
        ("update", "admin2"),
    ]


def test_nobody_approves_a_reset_of_their_own_factor(make_user) -> None:
    first = make_user(Role.SYSTEM_ADMINISTRATOR, username="admin1")
    second = make_user(Role.SYSTEM_ADMINISTRATOR, username="admin2")
    reset = mfa.request_reset(first, second, "Says they lost their phone")
    with pytest.raises(SeparationOfDuties):
        mfa.approve_reset(second, reset)
    assert MfaReset.objects.get().approved_at is None


def test_resets_are_asked_for_and_approved_in_the_admin_site(client, make_user, person):
    first = make_user(Role.SYSTEM_ADMINISTRATOR, username="admin1")
    second = make_user(Role.SYSTEM_ADMINISTRATOR, username="admin2")
    authenticator(person)
    client.force_login(first)
    client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "ask_to_reset_second_factor", "_selected_action": [person.pk]},
    )
    reset = MfaReset.objects.get()
    approve = {"action": "approve", "_selected_action": [reset.pk]}
    url = reverse("admin:accounts_mfareset_changelist")
    refused = client.post(url, approve, follow=True).content.decode()
    assert "A second system administrator must approve this" in refused
    assert mfa.has_second_factor(person)

    client.force_login(second)
    client.post(url, approve)
    assert not mfa.has_second_factor(person)


def _passkey(user) -> WebAuthnCredential:
    return WebAuthnCredential.objects.create(
        user=user,
        name="Security key",
        credential_id=b"id-" + user.username.encode(),
        public_key=b"synthetic",
        sign_count=0,
        confirmed=True,
    )


def test_people_remove_only_their_own_passkeys(client, person, make_user) -> None:
    mine, theirs = _passkey(person), _passkey(make_user(username="other"))
    client.force_login(person)
    page = client.get(reverse("accounts:security")).content.decode()
    assert "Security key" in page
    assert client.post(reverse("accounts:passkey-remove", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("accounts:passkey-remove", args=[mine.pk])).status_code == 302
    assert list(WebAuthnCredential.objects.values_list("pk", flat=True)) == [theirs.pk]
    assert AuditEvent.objects.filter(summary="Passkey removed by its owner").count() == 1


def test_the_second_step_offers_a_passkey_only_to_people_who_have_one(client, person) -> None:
    authenticator(person)
    give_password(client)
    assert "passkey-verification-button" not in client.get(CODE).content.decode()
    _passkey(person)
    page = client.get(CODE).content.decode()
    assert "passkey-verification-button" in page
    assert 'id="otp_webauthn_config" type="application/json"' in page
