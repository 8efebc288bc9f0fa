"""Journeys: a partnership manager starts the escalation-awareness survey from its template
and finds police's link; a practitioner answers it on a phone without signing in (first
forgetting a question), and again without JavaScript; the manager sees the results with
small numbers suppressed and closes the link, which then says so. Each page passes axe."""

from playwright.sync_api import Browser, Page, expect

from assure.accounts.models import Role
from assure.surveys.models import Response, Survey
from tests.browser.test_foundation import sign_in

PHONE = {"width": 375, "height": 740}


def test_a_practitioner_answers_on_a_phone_without_signing_in(
    page: Page, browser: Browser, live_server, axe, make_user, partnership_agency, police
) -> None:
    make_user(Role.PARTNERSHIP_MANAGER, agency=partnership_agency, username="manager")
    sign_in(page, "manager")
    page.get_by_role("link", name="Surveys").first.click()
    axe.check(page)
    page.get_by_role("link", name="Start from “Awareness of the professional challenge").click()
    axe.check(page)
    page.get_by_role("button", name="Save and make the links").click()
    expect(page.get_by_role("heading", name="Answer links")).to_be_visible()
    axe.check(page)
    row = page.get_by_role("row").filter(has_text="Testshire Police")
    link = row.locator("code").inner_text()
    assert "/surveys/answer/" in link

    phone = browser.new_context(viewport=PHONE, is_mobile=True)
    practitioner = phone.new_page()
    practitioner.goto(link)
    expect(practitioner.get_by_role("heading", level=1)).to_have_text(
        "Awareness of the professional challenge and escalation protocol"
    )
    expect(practitioner.get_by_text("Do not name or describe any child")).to_be_visible()
    axe.check(practitioner)
    practitioner.get_by_label("Police officer or staff").check()
    practitioner.get_by_role("group", name="1. Are you aware").get_by_label("Yes").check()
    practitioner.get_by_role("button", name="Send my answers").click()
    expect(practitioner.get_by_text("There is a problem")).to_be_visible()
    expect(practitioner.get_by_role("link", name="Answer question 2")).to_be_visible()
    axe.check(practitioner)
    assert not Response.objects.exists()

    practitioner.get_by_role("group", name="2. I know where").get_by_label("Strongly agree").check()
    practitioner.get_by_role("group", name="3. I feel confident").get_by_label(
        "Agree", exact=True
    ).check()
    practitioner.get_by_role("group", name="4. How many times").get_by_label("Once").check()
    practitioner.get_by_role("group", name="5. How did you learn").get_by_label("Training").check()
    practitioner.get_by_label("6. What would help").fill("A named contact in each agency")
    practitioner.get_by_role("button", name="Send my answers").click()
    expect(practitioner.get_by_role("heading", name="Thank you")).to_be_visible()
    axe.check(practitioner)
    phone.close()

    response = Response.objects.get()
    assert response.agency == police
    assert response.role == "police"

    # Without JavaScript the same form works (axe needs JavaScript, so it ran above).
    plain = browser.new_context(viewport=PHONE, java_script_enabled=False).new_page()
    plain.goto(link)
    plain.get_by_label("Prefer not to say").check()
    for number, answer in (("1.", "No"), ("2.", "Disagree"), ("3.", "Disagree"), ("4.", "Never")):
        plain.get_by_role("group", name=number).get_by_label(answer, exact=True).check()
    plain.get_by_role("group", name="5.").get_by_label("Not at all").check()
    plain.get_by_role("button", name="Send my answers").click()
    expect(plain.get_by_role("heading", name="Thank you")).to_be_visible()
    assert Response.objects.count() == 2

    survey = Survey.objects.get()
    page.goto(f"/surveys/{survey.pk}/")
    expect(page.get_by_text("Responses: fewer than 5.")).to_be_visible()
    expect(page.get_by_text("A named contact in each agency")).to_be_attached()
    axe.check(page)
    page.get_by_role("button", name="Close the link for Testshire Police").click()
    expect(page.get_by_text("The link for Testshire Police is closed")).to_be_visible()

    closed = browser.new_context(viewport=PHONE).new_page()
    closed.goto(link)
    expect(closed.get_by_role("heading", name="This survey link is closed")).to_be_visible()
    axe.check(closed)
