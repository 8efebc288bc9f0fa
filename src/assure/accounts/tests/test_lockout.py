"""Lockout per account and per address, believing only trusted proxies; unlocking by email."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from assure.accounts.models import Role
from assure.core.addresses import client_address
from assure.core.models import AuditEvent
from conftest import TEST_PASSWORD

SIGN_IN = reverse("accounts:sign-in")
PROXY = "10.0.0.5"


@pytest.fixture
def person(make_user):
    person = make_user(Role.PARTNERSHIP_MANAGER, username="priya")
    person.email = "priya@example.org"
    person.save()
    return person


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXIES = [PROXY, "10.1.0.0/16"]


def _address(remote: str, forwarded: str | None = None) -> str | None:
    request = RequestFactory().get("/")
    request.META["REMOTE_ADDR"] = remote
    if forwarded is not None:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(request)


@pytest.mark.parametrize(
    ("remote", "forwarded", "client"),
    [
        # Straight from the internet: a forged header is ignored.
        ("203.0.113.9", "198.51.100.1", "203.0.113.9"),
        # Through our proxy: the hop it added is the client.
        (PROXY, "198.51.100.7", "198.51.100.7"),
        # A client-written hop to the left of the proxy's is never believed.
        (PROXY, "1.2.3.4, 198.51.100.7", "198.51.100.7"),
        # Two of our proxies in a row are both skipped.
        (PROXY, "198.51.100.7, 10.1.4.4", "198.51.100.7"),
        # Our proxy with no header: the proxy itself.
        (PROXY, None, PROXY),
        # A garbled hop: the last address we can vouch for.
        (PROXY, "not-an-address", PROXY),
        ("2001:db8::1", "198.51.100.1", "2001:db8::1"),
    ],
)
def test_client_address_believes_only_trusted_hops(behind_proxy, remote, forwarded, client):
    assert _address(remote, forwarded) == client


def test_without_trusted_proxies_the_header_is_ignored() -> None:
    assert _address(PROXY, "198.51.100.7") == PROXY


def _fail(client, username: str, address: str, times: int = 1) -> None:
    for _ in range(times):
        client.post(
            SIGN_IN,
            {"username": username, "password": "wrong"},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=address,
        )


def _sign_in(client, address: str):
    return client.post(
        SIGN_IN,
        {"username": "priya", "password": TEST_PASSWORD},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=address,
    )


def test_audit_events_carry_the_real_client_address(client, person, behind_proxy) -> None:
    _fail(client, "priya", "198.51.100.7")
    event = AuditEvent.objects.get(action="failed-sign-in")
    assert event.ip_address == "198.51.100.7"


def test_an_address_guessing_at_many_accounts_is_locked(client, person, behind_proxy) -> None:
    for n in range(5):
        _fail(client, f"someone{n}", "203.0.113.66")
    refused = _sign_in(client, "203.0.113.66")
    assert refused.status_code == 429
    assert _sign_in(client, "198.51.100.7").status_code == 302  # the person, elsewhere


def test_a_lock_on_the_account_is_lifted_by_the_emailed_link(
    client, person, behind_proxy, settings
) -> None:
    settings.SITE_URL = "http://testserver"
    _fail(client, "priya", "203.0.113.66", times=5)  # someone else, guessing
    locked = _sign_in(client, "198.51.100.7")
    assert locked.status_code == 429
    assert "Email me a link to unlock my account" in locked.content.decode()

    answer = client.post(reverse("accounts:unlock-request"), {"username": "priya"})
    nobody = client.post(reverse("accounts:unlock-request"), {"username": "nobody"})
    assert answer.content.decode().count("If that account is paused") == 1
    assert "If that account is paused" in nobody.content.decode()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["priya@example.org"]
    link = re.search(r"http://testserver(/unlock/\S+/\S+/)", str(mail.outbox[0].body))
    assert link
    assert client.get(link.group(1)).status_code == 200
    assert _sign_in(client, "198.51.100.7").status_code == 429  # opening the link is not enough

    done = client.post(link.group(1))
    assert "Your account is unlocked" in done.content.decode()
    assert _sign_in(client, "198.51.100.7").status_code == 302
    assert AuditEvent.objects.filter(summary="Account unlocked by email link").count() == 1
    client.post(reverse("accounts:sign-out"))

    used = client.post(link.group(1))
    assert "This link has expired or has been used" in used.content.decode()


def test_an_unlock_link_expires(client, person, behind_proxy, settings) -> None:
    settings.SITE_URL = "http://testserver"
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _fail(client, "priya", "203.0.113.66", times=5)
        client.post(reverse("accounts:unlock-request"), {"username": "priya"})
    link = re.search(r"http://testserver(/unlock/\S+/\S+/)", str(mail.outbox[0].body))
    assert link
    with time_machine.travel(start + timedelta(minutes=14), tick=False):
        assert "Unlock my account" in client.get(link.group(1)).content.decode()
    with time_machine.travel(start + timedelta(minutes=61), tick=False):
        page = client.post(link.group(1)).content.decode()
    assert "This link has expired or has been used" in page


def test_no_link_is_sent_for_an_account_that_is_not_locked(client, person) -> None:
    client.post(reverse("accounts:unlock-request"), {"username": "priya"})
    assert mail.outbox == []
