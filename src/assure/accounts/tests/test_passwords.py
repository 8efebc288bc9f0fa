"""Passwords: long, not guessable, changed by their owner, reset by an expiring emailed link."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from assure.accounts.models import Role
from assure.core.models import AuditEvent
from conftest import TEST_PASSWORD

GOOD = "purple kettle marching onwards"


@pytest.fixture
def person(make_user, partnership):
    person = make_user(Role.AGENCY_LEAD, username="jsmith")
    person.first_name, person.last_name, person.email = "Jordan", "Smithers", "jordan@example.org"
    person.save()
    return person


@pytest.mark.parametrize(
    "password",
    [
        "Password123!",  # a common password with a few characters added
        "qwertyuiopas",  # a keyboard walk with two letters more
        "short words",  # under 12 characters
        "iloveyou12345",  # common
        "Testshire2026!!",  # the partnership's name
        "JordanSmithers1",  # the person's own name
        "jsmith-jsmith-99",  # the person's user name
        "Safeguarding2026",
    ],
)
def test_guessable_passwords_are_refused(person, password) -> None:
    with pytest.raises(ValidationError):
        validate_password(password, person)


@pytest.mark.parametrize(
    "password",
    [GOOD, "correct-horse-battery-staple", "tram lantern 9 orchard", "1234 5678 9012 3x"],
)
def test_long_unguessable_passwords_need_no_symbols_or_digits(person, password) -> None:
    validate_password(password, person)  # no composition rules: no error


def test_a_person_changes_their_own_password(client, person) -> None:
    client.force_login(person)
    url = reverse("accounts:password-change")
    wrong = client.post(url, {"old_password": "nope", "new_password1": GOOD, "new_password2": GOOD})
    assert "Your current password is not right" in wrong.content.decode()
    weak = client.post(
        url,
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "Password123!",
            "new_password2": "Password123!",
        },
    )
    assert "too easy to guess" in weak.content.decode()

    response = client.post(
        url, {"old_password": TEST_PASSWORD, "new_password1": GOOD, "new_password2": GOOD}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password(GOOD)
    assert client.get(reverse("core:home")).status_code == 200  # still signed in
    event = AuditEvent.objects.get(summary="Password changed by its owner")
    assert event.actor_username == "jsmith"


def _reset_link(email_body: str) -> str:
    found = re.search(r"http://testserver(/password/reset/[^/\s]+/[^/\s]+/)", email_body)
    assert found, email_body
    return found.group(1)


def test_reset_by_emailed_link_works_once(client, person, settings) -> None:
    settings.SITE_URL = "http://testserver"
    known = client.post(reverse("accounts:password-reset"), {"email": "jordan@example.org"})
    unknown = client.post(reverse("accounts:password-reset"), {"email": "nobody@example.org"})
    # The same answer whether or not the address is known: no one can test addresses.
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("accounts:password-reset-sent")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["jordan@example.org"]
    link = _reset_link(str(mail.outbox[0].body))

    form = client.get(link, follow=True)
    assert "Choose a new password" in form.content.decode()
    done = client.post(form.redirect_chain[-1][0], {"new_password1": GOOD, "new_password2": GOOD})
    assert done["Location"] == reverse("accounts:password-reset-done")
    person.refresh_from_db()
    assert person.check_password(GOOD)
    summaries = list(
        AuditEvent.objects.filter(record_id=str(person.pk)).values_list("summary", flat=True)
    )
    assert "Password reset link sent" in summaries
    assert "Password reset by email link" in summaries

    again = client.get(link, follow=True)
    assert "This link has expired or has been used" in again.content.decode()


def test_reset_link_expires_after_an_hour(client, person, settings) -> None:
    settings.SITE_URL = "http://testserver"
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.post(reverse("accounts:password-reset"), {"email": "jordan@example.org"})
    link = _reset_link(str(mail.outbox[0].body))
    with time_machine.travel(start + timedelta(minutes=59), tick=False):
        assert "Choose a new password" in client.get(link, follow=True).content.decode()
    with time_machine.travel(start + timedelta(minutes=61), tick=False):
        page = client.get(link, follow=True).content.decode()
    assert "This link has expired or has been used" in page
    person.refresh_from_db()
    assert person.check_password(TEST_PASSWORD)
