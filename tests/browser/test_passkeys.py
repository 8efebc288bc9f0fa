"""Journey: a signed-in person adds a passkey, then signs in with it instead of a code
(Chromium's virtual authenticator stands in for a security key)."""

from playwright.sync_api import Page, expect

from assure.accounts.models import Role
from assure.core.models import AuditEvent
from conftest import TEST_PASSWORD
from tests.browser.test_foundation import sign_in, sign_out


def test_a_passkey_is_added_and_then_used_to_sign_in(
    page: Page, axe, make_user, live_server, settings
):
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    make_user(Role.AGENCY_LEAD, username="lead")
    sign_in(page, "lead")
    page.get_by_role("link", name="Account", exact=True).click()
    expect(page.get_by_role("heading", name="Your sign-in and security")).to_be_visible()
    axe.check(page)
    page.get_by_role("button", name="Add a passkey or security key").click()
    expect(page.get_by_text("Registration successful!")).to_be_visible()
    page.reload()
    expect(page.get_by_role("button", name="Remove Passkey")).to_be_visible()
    axe.check(page)
    sign_out(page)

    page.goto("/sign-in/")
    page.get_by_label("User name").fill("lead")
    page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    axe.check(page)
    page.get_by_role("button", name="Use a passkey or security key").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Test Person")
    assert AuditEvent.objects.filter(summary="Second factor: passkey").count() == 1
    assert AuditEvent.objects.filter(summary="Passkey added").count() == 1
