"""Sign-in, lockout, timeouts and sign-out."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from assure.accounts.models import Role
from assure.core.models import AuditEvent
from conftest import TEST_PASSWORD, sign_in_with_code

SIGN_IN = reverse("accounts:sign-in")
SAME_MESSAGE = "Enter a correct user name and password. Both are case-sensitive."


@pytest.fixture
def person(make_user):
    return make_user(Role.PARTNERSHIP_MANAGER, username="priya")


def test_sign_in_is_audited_and_lands_on_home(client, person) -> None:
    response = client.post(SIGN_IN, {"username": "priya", "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    assert AuditEvent.objects.filter(action="sign-in", actor_username="priya").exists()


def test_unknown_user_and_wrong_password_get_the_same_message(client, person) -> None:
    wrong = client.post(SIGN_IN, {"username": "priya", "password": "nope"}).content.decode()
    unknown = client.post(SIGN_IN, {"username": "nobody", "password": "nope"}).content.decode()
    assert SAME_MESSAGE in wrong
    assert SAME_MESSAGE in unknown
    failed = AuditEvent.objects.filter(action="failed-sign-in")
    assert sorted(failed.values_list("actor_username", flat=True)) == ["nobody", "priya"]
    assert all("nope" not in str(e.changes) + e.summary for e in failed)


def test_passwords_are_hashed_with_argon2(settings, person) -> None:
    from assure.config import settings as real_settings

    assert real_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_five_failures_lock_the_account(client, person) -> None:
    for _ in range(5):
        client.post(SIGN_IN, {"username": "priya", "password": "wrong"})
    response = client.post(SIGN_IN, {"username": "priya", "password": TEST_PASSWORD})
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_idle_for_15_minutes_signs_out(client, person) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        sign_in_with_code(client, person)
        assert client.get(reverse("core:home")).status_code == 200
    with time_machine.travel(start + timedelta(minutes=14), tick=False):
        assert client.get(reverse("core:home")).status_code == 200
    with time_machine.travel(start + timedelta(minutes=30), tick=False):
        response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert "timed-out=1" in response["Location"]


def test_twelve_hours_signs_out_even_when_busy(client, person) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        sign_in_with_code(client, person)
    minutes = 0
    while minutes < 12 * 60 - 10:
        minutes += 10
        with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
            assert client.get(reverse("core:home")).status_code == 200
    with time_machine.travel(start + timedelta(hours=12, minutes=5), tick=False):
        assert client.get(reverse("core:home")).status_code == 302


def test_sign_out_needs_post_and_is_audited(client, person) -> None:
    client.force_login(person)
    assert client.get(reverse("accounts:sign-out")).status_code == 405
    response = client.post(reverse("accounts:sign-out"))
    assert response["Location"] == reverse("accounts:signed-out")
    assert AuditEvent.objects.filter(action="sign-out", actor_username="priya").exists()
    assert client.get(reverse("core:home")).status_code == 302


def test_staying_signed_in_restarts_the_idle_time(client, person) -> None:
    start = timezone.now()
    keep_alive = reverse("core:keep-alive")
    with time_machine.travel(start, tick=False):
        sign_in_with_code(client, person)
        assert client.get(keep_alive).status_code == 405
    with time_machine.travel(start + timedelta(minutes=14, seconds=30), tick=False):
        assert client.post(keep_alive).status_code == 204
    with time_machine.travel(start + timedelta(minutes=28), tick=False):
        assert client.get(reverse("core:home")).status_code == 200
    with time_machine.travel(start + timedelta(minutes=60), tick=False):
        response = client.post(keep_alive)
    assert response.status_code == 302
    assert "timed-out=1" in response["Location"]
    assert client.post(keep_alive).status_code == 302  # signed out: no keeping alive


def test_asking_how_long_is_left_is_not_activity(client, person) -> None:
    start = timezone.now()
    status = reverse("core:session-status")
    with time_machine.travel(start, tick=False):
        sign_in_with_code(client, person)
        client.get(reverse("core:home"))
    with time_machine.travel(start + timedelta(minutes=10), tick=False):
        assert client.get(status).json() == {"seconds_left": 5 * 60}
    with time_machine.travel(start + timedelta(minutes=14), tick=False):
        assert client.get(status).json() == {"seconds_left": 60}
    with time_machine.travel(start + timedelta(minutes=16), tick=False):
        response = client.get(status)
    assert response.status_code == 302
    assert "timed-out=1" in response["Location"]
