"""Journey: the warning before an idle session ends, so that nothing typed is lost."""

from datetime import timedelta

from playwright.sync_api import Page, expect

from tests.browser.test_foundation import sign_in

IDLE = timedelta(seconds=12)  # the warning comes a quarter of it before the end: after 9 s


def test_a_person_who_answers_the_warning_stays_signed_in(page: Page, axe, make_user, settings):
    settings.SESSION_IDLE_TIMEOUT = IDLE
    make_user(username="priya")
    sign_in(page, "priya")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    warning = page.get_by_role("dialog", name="You will be signed out soon")
    expect(warning).to_be_visible(timeout=15_000)
    axe.check(page)
    page.get_by_role("button", name="Stay signed in").click()
    expect(warning).to_be_hidden()
    page.wait_for_timeout(6_000)  # past the first idle end, within the second
    page.reload()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_typing_keeps_the_session_and_silence_ends_it(page: Page, make_user, settings):
    settings.SESSION_IDLE_TIMEOUT = IDLE
    make_user(username="priya")
    sign_in(page, "priya")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.wait_for_timeout(4_000)
    page.keyboard.press("Shift")  # someone at the keyboard: no question asked
    page.wait_for_timeout(7_000)
    warning = page.get_by_role("dialog", name="You will be signed out soon")
    expect(warning).to_be_hidden()
    expect(warning).to_be_visible(timeout=15_000)  # then nobody: the warning comes
    expect(page).to_have_url("/sign-in/?timed-out=1", timeout=10_000)  # and the end


def test_an_idle_tab_stays_while_the_person_works_in_another(page: Page, make_user, settings):
    settings.SESSION_IDLE_TIMEOUT = IDLE
    make_user(username="priya")
    sign_in(page, "priya")
    page.goto("/cookies/")  # a page the sign-in page would never send anyone back to
    other = page.context.new_page()
    other.goto("/")
    other.wait_for_timeout(4_000)
    other.keyboard.press("Shift")  # busy here: this tab keeps the session alive at 9 s
    other.wait_for_timeout(7_000)
    warning = page.get_by_role("dialog", name="You will be signed out soon")
    expect(warning).to_be_hidden()
    page.wait_for_timeout(3_000)  # past the first tab's own 12 s
    expect(page).to_have_url("/cookies/")
