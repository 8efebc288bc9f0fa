"""Journey: sign in with the organisation's account (a local OpenID Connect provider), land
where one was going without a second Assure code (the provider did MFA), sign out and be
offered the provider's sign-out; someone Assure does not know is told to ask the
administrator."""

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from assure.accounts.models import Role
from assure.accounts.tests.oidc_provider import Provider, configure, serve
from assure.core.models import AuditEvent


@pytest.fixture(scope="module")
def provider() -> Iterator[Provider]:
    yield from serve()


@pytest.fixture
def configured(settings: Any, provider: Provider, live_server: Any) -> Provider:
    configure(settings, provider, live_server.url)
    return provider


def test_sign_in_with_the_organisations_account(
    page: Page, axe, make_user, configured: Provider
) -> None:
    person = make_user(Role.PARTNERSHIP_MANAGER, username="priya")
    person.email = "priya.shah@council.example"
    person.save()
    configured.signs_in = {"email": person.email, "email_verified": True, "amr": ["pwd", "mfa"]}

    page.goto("/reviews/")
    expect(page.get_by_role("heading", name="Sign in to Assure")).to_be_visible()
    axe.check(page)
    page.get_by_role("button", name="Sign in with your organisation's account").click()
    expect(page).to_have_url("/reviews/")  # the provider's MFA counts: no Assure code
    axe.check(page)
    assert AuditEvent.objects.filter(action="sign-in", actor_username="priya").exists()

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="You have signed out")).to_be_visible()
    link = page.get_by_role("link", name="sign out of your organisation's account")
    assert link.get_attribute("href").startswith(f"{configured.issuer}/logout?")
    axe.check(page)

    configured.signs_in = {"email": "nobody@council.example", "email_verified": True}
    page.goto("/sign-in/")
    page.get_by_role("button", name="Sign in with your organisation's account").click()
    expect(page.get_by_role("heading", name="You cannot sign in with that account")).to_be_visible()
    expect(page.get_by_text("Ask your partnership's Assure administrator")).to_be_visible()
    axe.check(page)
