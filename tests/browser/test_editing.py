"""Journey: an agency lead finds their action from the menu and sets its owner and due date;
pages reflow at 320 CSS pixels; the people-and-roles admin pages pass axe."""

from datetime import date

from playwright.sync_api import Page, expect

from assure.accounts.models import Role
from assure.core.viewer import Viewer
from assure.reviews import services
from assure.reviews.models import Action, Recommendation, Review
from tests.browser.dates import fill_date
from tests.browser.test_foundation import sign_in, sign_out

NARROW = {"width": 320, "height": 640}


def fits_320(page: Page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= 320"))


def test_agency_lead_sets_owner_and_due_date(page, axe, make_user, police, time_machine) -> None:
    time_machine.move_to(date(2026, 3, 2), tick=True)
    manager = make_user(Role.PARTNERSHIP_MANAGER, username="manager")
    make_user(Role.AGENCY_LEAD, agency=police, username="police")
    officer = make_user(agency=police, username="officer")
    officer.first_name, officer.last_name = "Olu", "Officer"
    officer.save()
    review = services.save_review(
        Viewer.of(manager), Review(), {"review_type": Review.Type.LCSPR, "pseudonym": "Jay"}
    )
    recommendation = services.save_recommendation(
        Viewer.of(manager),
        Recommendation(review=review),
        agencies=[police],
        number=1,
        text="Share notifications about children with children's services within a day.",
    )
    action = services.save_action(
        Viewer.of(manager),
        Action(recommendation=recommendation, agency=police),
        description="Retrain the public protection desk on sharing notifications the same day",
    )

    sign_in(page, "police")
    menu = page.get_by_role("navigation", name="Main menu")
    menu.get_by_role("link", name="Reviews", exact=True).click()
    page.get_by_role("navigation", name="Reviews").get_by_role(
        "link", name="My agency's actions"
    ).click()
    expect(page.get_by_role("cell", name="No owner")).to_be_visible()
    axe.check(page)
    page.get_by_role("link", name=action.description).click()
    page.get_by_role("link", name="Edit this action").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit this action")
    expect(page.get_by_label("Agency", exact=True)).to_have_count(0)
    axe.check(page)
    page.get_by_label("Owner").select_option(label="Olu Officer (Testshire Police)")
    fill_date(page, "Due date", "2026-05-29")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Action saved.")).to_be_visible()
    expect(page.locator(".govuk-summary-list")).to_contain_text("Olu Officer")
    expect(page.locator(".govuk-summary-list")).to_contain_text("29 May 2026")
    axe.check(page)

    page.set_viewport_size(NARROW)
    action_page = page.url
    for url in (action_page, "/reviews/actions/mine/", "/reviews/", f"/reviews/{review.pk}/"):
        page.goto(url)
        axe.check(page)
        assert fits_320(page), f"{url} scrolls sideways at 320 CSS pixels"
    page.set_viewport_size({"width": 1024, "height": 768})
    sign_out(page)

    action.refresh_from_db()
    assert (action.owner, action.due_date) == (officer, date(2026, 5, 29))


def test_people_and_roles_admin_pages_pass_axe(page, axe, make_user, police) -> None:
    admin = make_user(Role.SYSTEM_ADMINISTRATOR, username="admin1")
    admin.is_staff = True
    admin.save()
    person = make_user(Role.AGENCY_LEAD, Role.BOARD_MEMBER, agency=police, username="lead1")
    sign_in(page, "admin1")
    page.goto(f"/admin/accounts/user/{person.pk}/change/")
    expect(page.get_by_role("heading", name="Role grants")).to_be_visible()
    axe.check(page)
    page.goto("/admin/accounts/user/add/")
    axe.check(page)
