"""Journey: a partnership manager opens Reports from the menu, makes the report of the quarter
just ended as a web page, opens it (axe checks the report itself), and a board member then
finds it in the list and opens the same report."""

from datetime import date, datetime

import time_machine
from django.utils import timezone
from playwright.sync_api import Page, expect

from assure.accounts.models import Role
from assure.accounts.services import ensure_partnership_agency
from assure.escalations.models import CommissionedService, Escalation, ServiceReturn, Stage
from assure.reports.models import ReportRequest
from assure.reviews.models import Action, ActionStatus, Recommendation, Review
from assure.surveys.models import Answer, Kind, Question, Response, Survey
from tests.browser.test_foundation import sign_in, sign_out


def test_make_and_open_the_quarterly_report(
    page: Page, axe, make_user, partnership, police
) -> None:
    with time_machine.travel("2026-10-05 09:00Z"):
        own = ensure_partnership_agency(partnership)
        make_user(Role.PARTNERSHIP_MANAGER, agency=own, username="mia")
        make_user(Role.BOARD_MEMBER, agency=police, username="ben")
        review = Review.objects.create(
            partnership=partnership,
            review_type=Review.Type.LCSPR,
            pseudonym="Alex",
            created_at=timezone.make_aware(datetime(2026, 5, 1, 9)),
        )
        rec = Recommendation.objects.create(
            partnership=partnership, review=review, number=1, text="Share information sooner."
        )
        Action.objects.create(
            partnership=partnership,
            recommendation=rec,
            agency=police,
            description="Train MASH staff",
            due_date=date(2026, 8, 31),
            status=ActionStatus.IN_PROGRESS,
            created_at=timezone.make_aware(datetime(2026, 5, 1, 9)),
        )

        _other_areas(partnership, police, own, make_user(Role.AGENCY_LEAD, agency=police))

        sign_in(page, "mia")
        page.get_by_role("link", name="Reports").first.click()
        expect(page.get_by_text("No report has been made yet.")).to_be_visible()
        axe.check(page)
        page.get_by_role("link", name="Make a report").click()
        expect(page.get_by_label("Quarter")).to_have_value("2026-Q3")
        page.get_by_label("Quarter").fill("next year")
        page.get_by_label("Web page (HTML)").check()
        page.get_by_role("button", name="Make the report").click()
        expect(page.get_by_text("write it as YYYY-QN").first).to_be_visible()
        axe.check(page)
        page.get_by_label("Quarter").fill("2026-Q3")
        page.get_by_role("button", name="Make the report").click()
        expect(page.get_by_text("The 2026-Q3 report is being made.")).to_be_visible()
        page.get_by_role("link", name="2026-Q3 report made").click()
        expect(page.get_by_text("Digest (SHA-256)")).to_be_visible()
        axe.check(page)
        page.get_by_role("link", name="Open the report").click()
        expect(
            page.get_by_role("heading", name="Assurance report: July to September 2026 (2026-Q3)")
        ).to_be_visible()
        expect(page.get_by_role("rowheader", name="1", exact=True)).to_be_visible()
        overdue = page.get_by_role("region", name="Actions overdue by agency")
        expect(overdue.get_by_role("row", name="Testshire Police 1", exact=True)).to_be_visible()
        for heading in ("Practitioner surveys", "Professional challenge and escalation"):
            expect(page.get_by_role("heading", name=heading)).to_be_visible()
        expect(page.get_by_text("Return for the quarter: Signed off.")).to_be_visible()
        axe.check(page)
        page.go_back()
        sign_out(page)

        sign_in(page, "ben")
        page.get_by_role("link", name="Reports").first.click()
        expect(page.get_by_role("link", name="Make a report")).to_be_visible()
        page.get_by_role("link", name="2026-Q3 report made").click()
        expect(page.get_by_text("for Test Person")).to_be_visible()
        axe.check(page)


def _other_areas(partnership, police, own, lead) -> None:
    """A survey answered in the quarter, an escalation resolved in it, a service's return."""
    survey = Survey.objects.create(
        partnership=partnership, title="Challenge survey", created_on=date(2026, 7, 6)
    )
    question = Question.objects.create(
        survey=survey, number=1, kind=Kind.LIKERT, text="I feel confident to challenge."
    )
    for value in "4445552211":
        response = Response.objects.create(
            survey=survey, agency=police, answered_on=date(2026, 7, 8)
        )
        Answer.objects.create(
            response=response, question=question, survey=survey, agency=police, value=value
        )
    escalation = Escalation.objects.create(
        partnership=partnership,
        reference="E1",
        raised_by_agency=police,
        about_agency=own,
        category="threshold",
        raised_date=date(2026, 7, 1),
        outcome="resolved_agreed",
        ended_date=date(2026, 7, 10),
    )
    Stage.objects.create(
        escalation=escalation,
        partnership=partnership,
        number=1,
        started=date(2026, 7, 1),
        due=date(2026, 7, 15),
        ended=date(2026, 7, 10),
    )
    service = CommissionedService.objects.create(
        partnership=partnership,
        name="Family Help",
        provider=police,
        contract_start=date(2026, 1, 1),
        offer_link="https://example.org/offer",
        escalation_route_link="https://example.org/route",
    )
    ServiceReturn.objects.create(
        service=service,
        partnership=partnership,
        quarter=date(2026, 7, 1),
        narrative="Synthetic",
        status=ServiceReturn.Status.SIGNED_OFF,
        submitted_by=lead,
        submitted_at=timezone.make_aware(datetime(2026, 9, 1, 9)),
        decided_at=timezone.make_aware(datetime(2026, 9, 2, 9)),
    )


def test_a_report_that_failed_is_said_and_tried_again(
    page: Page, axe, make_user, partnership, police
) -> None:
    """The worker was killed while making Mia's report: after the limit Reports says so in
    plain words, and "Try again" makes it."""
    with time_machine.travel("2026-10-05 09:00Z"):
        own = ensure_partnership_agency(partnership)
        mia = make_user(Role.PARTNERSHIP_MANAGER, agency=own, username="mia")
        ReportRequest.objects.create(
            partnership=partnership,
            period="2026-Q3",
            format="html",
            asked_by=mia,
            asked_at=timezone.make_aware(datetime(2026, 10, 5, 8)),
        )
        sign_in(page, "mia")
        page.get_by_role("link", name="Reports").first.click()
        expect(page.get_by_role("heading", name="Could not be made")).to_be_visible()
        expect(page.get_by_text("background worker may have stopped")).to_be_visible()
        axe.check(page)
        page.get_by_role("button", name="Try again").click()
        expect(page.get_by_text("The 2026-Q3 report is being made again.")).to_be_visible()
        expect(page.get_by_role("heading", name="Could not be made")).to_have_count(0)
        expect(page.get_by_role("link", name="2026-Q3 report made")).to_be_visible()
        axe.check(page)
