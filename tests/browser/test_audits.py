"""Journey: a quality auditor plans November's plan-quality programme, draws and confirms the
sample; the assigned manager audits the child's file beside its case data, saves, finishes and
adds a practice action; the programme's share goes to a moderator who grades blind, is flagged
two grades apart and records the conversation; the QA dashboard and agreement page follow."""

from datetime import date

import time_machine
from playwright.sync_api import Page, expect

from assure.accounts.models import Role
from assure.audits.models import Audit, Moderation, Question
from assure.indicators.tests.builders import Case
from tests.browser.dates import fill_date
from tests.browser.test_foundation import sign_in, sign_out

# The sample and the agreement come from the `agreement` branch's modules.


def case_data(partnership) -> None:
    """Three children on plans through November 2025, all in the East team."""
    case = Case()
    for n in (1, 2, 3):
        case.plan(f"CPP{n}", f"P{n}", "2025-09-01")
        case.involvement(f"I{n}", f"P{n}", "W1", "East", "2025-09-01")
        case.core_group(f"CG{n}", f"P{n}", f"CPP{n}", "2025-09-10", recorded="2025-09-12")
    case.load(partnership, extract_date=date(2025, 12, 1))


def answer(page: Page, questions: list[Question], graded: str, yes_no: str) -> None:
    for q in questions:
        group = page.get_by_role("group", name=f"{q.order}. {q.text}")
        group.get_by_label(graded if q.graded else yes_no, exact=True).check()
    page.get_by_role("group", name="Overall grade").get_by_label(graded, exact=True).check()


def test_programme_sample_audit_moderation_dashboard(
    page: Page, axe, make_user, partnership
) -> None:
    with time_machine.travel("2025-12-08 09:00Z"):
        case_data(partnership)
        make_user(Role.QUALITY_AUDITOR, username="ann")
        make_user(Role.CHILDRENS_SERVICES_MANAGER, username="bob")

        # Plan the programme, draw the sample, see it, confirm it
        sign_in(page, "ann")
        page.get_by_role("link", name="Audit programmes").first.click()
        page.get_by_role("link", name="Plan an audit programme").click()
        page.get_by_label("Audit tool").select_option(label="Child protection plan quality")
        page.get_by_label("Month audited").fill("2025-11")
        page.get_by_label("Children per team").fill("1")
        page.get_by_label("Test Person (bob)").check()
        axe.check(page)
        page.get_by_role("button", name="Continue").click()
        page.get_by_role("button", name="Draw the sample").click()
        expect(page.get_by_text("Sample drawn. Check it, then confirm it.")).to_be_visible()
        expect(page.get_by_role("row", name="East 3 1")).to_be_visible()
        axe.check(page)
        page.get_by_role("button", name="Confirm and assign 1 audit").click()
        expect(page.get_by_text("1 audit created and assigned.")).to_be_visible()
        sign_out(page)

        # Do the audit beside the child's case data
        record = Audit.objects.get()
        questions = list(record.programme.tool_version.questions.all())
        sign_in(page, "bob")
        page.get_by_role("link", name="Audits", exact=True).first.click()
        axe.check(page)
        page.get_by_role("link", name=f"Child {record.person_id}").click()
        expect(page.get_by_text(f"Child {record.person_id}: case data")).to_be_visible()
        expect(page.get_by_text("written up 12 Sep 2025").first).to_be_visible()
        page.get_by_label("Findings").fill("Actions lack timeframes; pace is good.")
        page.get_by_role("button", name="Save and finish later").click()
        expect(page.get_by_text("Audit saved. You can finish it later.")).to_be_visible()
        page.get_by_role("button", name="Finish the audit").click()
        expect(page.get_by_text("Select a grade for question 5").first).to_be_visible()
        axe.check(page)
        answer(page, questions, "Good", "Partly")
        page.get_by_role("button", name="Finish the audit").click()
        expect(page.get_by_text("Audit finished (version 1).")).to_be_visible()
        page.get_by_label("What must be done").fill("Add a timeframe to every plan action")
        page.get_by_label("Owner").select_option(label="Test Person (bob)")
        fill_date(page, "Due date", "2026-01-09")
        page.get_by_role("button", name="Add practice action").click()
        expect(page.get_by_text("Practice action added.")).to_be_visible()
        axe.check(page)
        sign_out(page)

        # Offer it for moderation; the moderator grades blind, then sees both
        sign_in(page, "ann")
        page.get_by_role("link", name="Audit programmes").first.click()
        page.get_by_role("link", name="Child protection plan quality, November 2025").click()
        page.get_by_role("button", name="Offer finished audits for moderation").click()
        expect(page.get_by_text("1 audit offered for moderation.")).to_be_visible()
        page.get_by_role("link", name="Audits", exact=True).first.click()
        page.get_by_role("link", name=f"Moderate audit {record.pk}").click()
        expect(page.get_by_text("Actions lack timeframes")).to_have_count(0)
        axe.check(page)
        graded = [q for q in questions if q.graded]
        answer(page, graded, "Inadequate", "")
        page.get_by_role("button", name="Finish moderation").click()
        expect(page.get_by_text("more than one grade apart")).to_be_visible()
        expect(
            page.get_by_role("row", name="Overall grade Good Inadequate 2 Discuss")
        ).to_be_visible()
        page.get_by_label("Outcome").fill("Agreed requires improvement; plan to be rewritten")
        page.get_by_role("button", name="Record the conversation").click()
        expect(page.get_by_text("Moderation conversation recorded.")).to_be_visible()
        axe.check(page)

        # The dashboard and the agreement page
        page.get_by_role("link", name="QA dashboard").first.click()
        expect(
            page.get_by_role("row", name="Child protection plan quality 2025-11 0 1 0 0")
        ).to_be_visible()
        axe.check(page)
        page.get_by_role("link", name="agreement between auditors and moderators").click()
        expect(page.get_by_role("row", name="All moderated grades").first).to_be_visible()
        axe.check(page)
    moderation = Moderation.objects.get()
    assert moderation.flagged
    assert moderation.outcome.startswith("Agreed")
