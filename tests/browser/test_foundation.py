"""Journey: two roles see their own navigation; a partner agency is refused child-level pages."""

from playwright.sync_api import Page, expect

from assure.accounts.mfa import current_code
from assure.accounts.models import Role, User
from assure.core.models import AuditEvent
from conftest import TEST_PASSWORD, authenticator


def sign_in(page: Page, username: str, password: str = TEST_PASSWORD) -> None:
    """Sign in with the password, then a code from the person's app (set up if they have
    none); a wrong password stops at the sign-in page's error."""
    device = authenticator(User.objects.get(username=username))
    page.goto("/sign-in/")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    code = page.get_by_label("Code", exact=True)
    expect(code.or_(page.locator(".govuk-error-summary"))).to_be_visible()
    if code.is_visible():
        code.fill(current_code(device))
        page.get_by_role("button", name="Continue").click()


def nav_links(page: Page) -> list[str]:
    return page.get_by_role("navigation", name="Main menu").get_by_role("link").all_inner_texts()


def area_links(page: Page, area: str) -> list[str]:
    """The links of an area's own menu (shown on each of its pages)."""
    return page.get_by_role("navigation", name=area).get_by_role("link").all_inner_texts()


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="You have signed out")).to_be_visible()


def test_roles_navigation_refusal_and_sign_out(page, axe, make_user, police) -> None:
    make_user(Role.SYSTEM_ADMINISTRATOR, username="admin1")
    make_user(Role.AGENCY_LEAD, agency=police, username="police1")

    sign_in(page, "admin1", "not-the-password")
    expect(page.get_by_text("Enter a correct user name and password")).to_be_visible()
    axe.check(page)

    sign_in(page, "admin1")
    expect(page.get_by_role("heading", level=1)).to_have_text("Test Person")
    assert nav_links(page) == ["Home", "Case data", "Administration", "Account"]
    axe.check(page)
    page.get_by_role("navigation", name="Main menu").get_by_role(
        "link", name="Administration"
    ).click()
    expect(page.get_by_role("heading", name="Audit trail")).to_be_visible()
    assert area_links(page, "Administration") == ["Audit trail", "People and agencies"]
    axe.check(page)
    sign_out(page)
    axe.check(page)

    sign_in(page, "police1")
    police_nav = nav_links(page)
    assert "Administration" not in police_nav
    assert "Audit trail" not in police_nav
    axe.check(page)
    response = page.goto("/trackers/weekly/")
    assert response is not None
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "You do not have permission to see this page"
    )
    axe.check(page)
    sign_out(page)

    actions = set(AuditEvent.objects.values_list("action", "actor_username"))
    assert ("failed-sign-in", "admin1") in actions
    assert ("sign-in", "admin1") in actions
    assert ("permission-denied", "police1") in actions
    assert ("sign-out", "police1") in actions
