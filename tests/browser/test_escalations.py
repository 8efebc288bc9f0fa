"""Journeys: a police lead records an escalation about children's services and adds a note;
when stage 1 is past due it is on the council's to-do list; the council's manager sees the
child's id, moves it to stage 2 and ends it with the learning; the board reads the figures.
Then the partnership manager registers a commissioned service, its lead submits a quarter's
return and the board signs it off."""

import time_machine
from playwright.sync_api import Page, expect

from assure.accounts.models import Agency, Role
from tests.browser.dates import fill_date
from tests.browser.test_foundation import sign_in, sign_out


def test_escalation_from_record_to_figures(page: Page, axe, make_user, council, police) -> None:
    make_user(Role.AGENCY_LEAD, agency=police, username="pat")
    make_user(Role.CHILDRENS_SERVICES_MANAGER, username="cara")
    make_user(Role.BOARD_MEMBER, agency=police, username="bea")
    make_user(Role.PARTNERSHIP_MANAGER, username="max")

    with time_machine.travel("2026-01-06 09:00Z"):
        sign_in(page, "max")
        page.get_by_role("link", name="Escalations", exact=True).first.click()
        page.get_by_role("link", name="Add a version of the protocol").click()
        page.get_by_label("Version").fill("3.1")
        page.get_by_label("Link to the document").fill("https://example.org/protocol.pdf")
        fill_date(page, "Applies from", "2025-04-01")
        axe.check(page)
        page.get_by_role("button", name="Add the version").click()
        expect(page.get_by_text("Version 3.1 of the protocol added.")).to_be_visible()
        sign_out(page)

        sign_in(page, "pat")
        page.get_by_role("link", name="Escalations", exact=True).first.click()
        expect(
            page.get_by_role(
                "link", name="Professional challenge and escalation protocol, version 3.1"
            )
        ).to_be_visible()
        axe.check(page)
        page.get_by_role("link", name="Record an escalation").click()
        page.get_by_label("Role of the practitioner raising it").fill("Detective constable")
        page.get_by_label("Agency whose decision is challenged").select_option(
            label="Testshire children's services"
        )
        page.get_by_label("A decision to close or step down").check()
        page.get_by_label("Child's case-system id (optional)").fill("CHILD-9")
        fill_date(page, "Date raised (stage 1 starts)", "2026-01-05")
        axe.check(page)
        page.get_by_role("button", name="Record it").click()
        expect(page.get_by_text("recorded at stage 1")).to_be_visible()
        expect(
            page.get_by_role(
                "row", name="1 Practitioner to practitioner 5 Jan 2026 12 Jan 2026 Not yet Upcoming"
            )
        ).to_be_visible()
        expect(page.locator("#child-id")).to_have_count(0)  # not child-level
        page.get_by_label("Add a note").fill(
            "Synthetic: we asked for the closure decision in writing."
        )
        page.get_by_role("button", name="Add the note").click()
        expect(page.get_by_text("Note added.")).to_be_visible()
        axe.check(page)
        sign_out(page)

    with time_machine.travel("2026-01-13 09:00Z"):
        sign_in(page, "cara")
        work = page.locator("#escalation-work")
        expect(work).to_contain_text("stage 1 was due 12 January 2026")
        axe.check(page)
        work.get_by_role("link").first.click()
        expect(page.locator("#child-id")).to_have_text("CHILD-9")
        expect(page.get_by_text("we asked for the closure decision in writing")).to_be_visible()
        expect(
            page.get_by_role(
                "row", name="1 Practitioner to practitioner 5 Jan 2026 12 Jan 2026 Not yet Overdue"
            )
        ).to_be_visible()
        page.get_by_role("link", name="Move to the next stage").click()
        fill_date(page, "Date the next stage started", "2026-01-13")
        axe.check(page)
        page.get_by_role("button", name="Move it").click()
        expect(page.get_by_text("Moved to stage 2: due 20 January 2026.")).to_be_visible()
        page.get_by_role("link", name="End the escalation").click()
        page.get_by_label("Resolved (decision changed)").check()
        fill_date(page, "Date it ended", "2026-01-13")
        page.get_by_label("Learning").fill("Synthetic: closure now waits for the police's view.")
        axe.check(page)
        page.get_by_role("button", name="End it").click()
        expect(page.locator("#outcome")).to_contain_text(
            "Resolved (decision changed), 13 January 2026"
        )
        axe.check(page)
        sign_out(page)

        sign_in(page, "bea")
        page.get_by_role("link", name="Escalation figures").first.click()
        fill_date(page, "From", "2026-01-01")
        fill_date(page, "To", "2026-01-31")
        page.get_by_role("button", name="Show these dates").click()
        expect(
            page.get_by_role("row", name="Stage 1: Practitioner to practitioner 0 1 0 0%")
        ).to_be_visible()
        expect(page.get_by_role("row", name="A decision to close or step down 1")).to_be_visible()
        expect(page.locator("svg[role=img]").first).to_be_visible()
        expect(page.get_by_text("CHILD-9")).to_have_count(0)
        axe.check(page)


def test_commissioned_service_return_signed_off(
    page: Page, axe, make_user, partnership, council
) -> None:
    provider = Agency.objects.create(
        partnership=partnership,
        name="Building Resilience Service",
        agency_type="commissioned_service",
    )
    make_user(Role.PARTNERSHIP_MANAGER, username="max")
    make_user(Role.AGENCY_LEAD, agency=provider, username="bri")
    make_user(Role.BOARD_MEMBER, username="bea")
    with time_machine.travel("2026-04-08 09:00Z"):
        sign_in(page, "max")
        page.get_by_role("link", name="Commissioned services").first.click()
        page.get_by_role("link", name="Add a service").click()
        page.get_by_label("Name of the service").fill("Building Resilience Service")
        page.get_by_label("Provider agency").select_option(label="Building Resilience Service")
        page.get_by_label("Testshire children's services").check()
        fill_date(page, "Contract starts", "2025-04-01")
        page.get_by_label("Link to the service offer").fill("https://example.org/offer.pdf")
        page.get_by_label("Link to the escalation route in the contract").fill(
            "https://example.org/route.pdf"
        )
        axe.check(page)
        page.get_by_role("button", name="Add it").click()
        expect(
            page.get_by_text("Building Resilience Service added to the register.")
        ).to_be_visible()
        sign_out(page)

        sign_in(page, "bri")
        page.get_by_role("link", name="Commissioned services").first.click()
        page.get_by_role("link", name="Building Resilience Service").click()
        page.get_by_role("link", name="Submit a quarterly return").click()
        fill_date(page, "Any day in the quarter", "2026-01-01")
        page.get_by_label("Testshire children's services: referrals received").fill("12")
        page.get_by_label("Testshire children's services: referrals accepted").fill("9")
        page.get_by_label("Line 1: assessment or report").select_option(label="Assessment")
        fill_date(page, "Line 1: requested", "2026-01-05")
        fill_date(page, "Line 1: due", "2026-01-26")
        fill_date(page, "Line 1: delivered", "2026-01-23")
        page.get_by_label("Line 2: assessment or report").select_option(label="Report")
        fill_date(page, "Line 2: requested", "2026-02-02")
        fill_date(page, "Line 2: due", "2026-02-23")
        fill_date(page, "Line 2: delivered", "2026-03-02")
        page.get_by_label("Narrative").fill("Synthetic: referrals up; one report late.")
        axe.check(page)
        page.get_by_role("button", name="Submit the return").click()
        expect(page.get_by_text("Return for Jan–Mar 2026 submitted.")).to_be_visible()
        expect(page.get_by_role("row", name="Jan–Mar 2026 12 9 1 1 0 50% 0")).to_be_visible()
        axe.check(page)
        sign_out(page)

        sign_in(page, "bea")
        page.get_by_role("link", name="Commissioned services").first.click()
        page.locator("#waiting").get_by_role("link").click()
        page.get_by_label("Sign the return off").check()
        axe.check(page)
        page.get_by_role("button", name="Save the decision").click()
        expect(page.get_by_text("Return signed off.")).to_be_visible()
        axe.check(page)
