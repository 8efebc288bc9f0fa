"""Journey: the first administrator opens the set-up link, chooses a password, sets up an
authenticator app and signs in."""

from pathlib import Path

from playwright.sync_api import Page, expect

from assure.accounts.models import User
from assure.ops import setup
from tests.browser.test_mfa import code_from

PASSWORD = "a-long-password-for-the-first-admin"


def test_first_administrator_chooses_a_password_once(page: Page, axe, db, tmp_path: Path) -> None:
    agencies = tmp_path / "agencies.csv"
    agencies.write_text("name,type\nTestshire Police,police\n", encoding="utf-8")
    outcome = setup.set_up(
        setup.Plan(
            partnership="Testshire Safeguarding Children Partnership",
            agencies=setup.read_agencies(agencies),
            administrator=setup.Administrator("jo", "jo@example.org", "Jo Bloggs"),
        )
    )
    assert outcome.administrator is not None
    link = setup.first_sign_in_link(outcome.administrator, "")

    page.goto(link)
    expect(page.get_by_role("heading", name="Choose your password")).to_be_visible()
    axe.check(page)
    page.get_by_label("New password", exact=True).fill("short")
    page.get_by_label("New password confirmation").fill("short")
    page.get_by_role("button", name="Save password and sign in").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    axe.check(page)

    page.get_by_label("New password", exact=True).fill(PASSWORD)
    page.get_by_label("New password confirmation").fill(PASSWORD)
    page.get_by_role("button", name="Save password and sign in").click()
    # Like everyone, the administrator sets up a second factor before anything else opens.
    expect(page.get_by_role("heading", name="Set up your authenticator app")).to_be_visible()
    page.get_by_label("Code", exact=True).fill(code_from(page.locator("#secret-key").inner_text()))
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("link", name="I have kept my recovery codes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Jo Bloggs")
    assert User.objects.get(username="jo").check_password(PASSWORD)

    page.goto(link)
    expect(page.get_by_role("heading", name="This sign-in link has expired")).to_be_visible()
    axe.check(page)
