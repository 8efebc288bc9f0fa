"""Journey: first sign-in sets up an authenticator app, keeps recovery codes, and the next
sign-in asks for a code from the app."""

import base64
from datetime import timedelta

import time_machine
from django.utils import timezone
from django_otp.oath import TOTP
from playwright.sync_api import Page, expect

from assure.accounts.models import Role
from assure.core.models import AuditEvent
from conftest import TEST_PASSWORD
from tests.browser.test_foundation import sign_out


def code_from(secret: str) -> str:
    """What an authenticator app shows for the key typed into it."""
    key = "".join(secret.split())
    key += "=" * (-len(key) % 8)
    return f"{TOTP(base64.b32decode(key)).token():06d}"


def give_password(page: Page, username: str) -> None:
    page.goto("/reviews/")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_first_sign_in_sets_up_an_app_then_signs_in_with_a_code(page: Page, axe, make_user):
    make_user(Role.PARTNERSHIP_MANAGER, username="priya")

    give_password(page, "priya")
    expect(page.get_by_role("heading", name="Set up your authenticator app")).to_be_visible()
    expect(
        page.get_by_role("img", name="QR code to scan with your authenticator app")
    ).to_be_visible()
    assert page.get_by_role("link", name="Reviews").count() == 0  # nothing else opens yet
    axe.check(page)
    secret = page.locator("#secret-key").inner_text()

    page.get_by_label("Code", exact=True).fill("000000")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    axe.check(page)
    # A wrong code makes the app wait a moment before the next try.
    with time_machine.travel(timezone.now() + timedelta(seconds=5)):
        page.get_by_label("Code", exact=True).fill(code_from(secret))
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
        codes = page.get_by_role("list", name="Recovery codes").get_by_role("listitem")
        expect(codes).to_have_count(10)
        axe.check(page)
        page.get_by_role("link", name="I have kept my recovery codes").click()
        expect(page).to_have_url("/reviews/")  # where the person was going
        sign_out(page)

    with time_machine.travel(timezone.now() + timedelta(seconds=60)):  # a later code
        give_password(page, "priya")
        expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
        axe.check(page)
        page.get_by_label("Code", exact=True).fill(code_from(secret))
        page.get_by_role("button", name="Continue").click()
        expect(page).to_have_url("/reviews/")
        axe.check(page)

    summaries = set(AuditEvent.objects.values_list("summary", flat=True))
    assert {"Authenticator app set up", "Second factor: authenticator app"} <= summaries
