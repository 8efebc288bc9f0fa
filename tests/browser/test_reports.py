"""Journey: a partnership manager opens Reports from the menu, makes the report of the quarter
just ended as a web page, opens it (axe checks the report itself), and a board member then
finds it in the list and opens the same report."""

from datetime import date, datetime

import time_machine
from django.utils import timezone
from playwright.sync_api import Page, expect

from assure.accounts.models import Role
from assure.accounts.services import ensure_partnership_agency
from assure.reviews.models import Action, ActionStatus, Recommendation, Review
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
        expect(page.get_by_role("row", name="Testshire Police 1", exact=True)).to_be_visible()
        axe.check(page)
        page.go_back()
        sign_out(page)

        sign_in(page, "ben")
        page.get_by_role("link", name="Reports").first.click()
        expect(page.get_by_role("link", name="Make a report")).to_be_visible()
        page.get_by_role("link", name="2026-Q3 report made").click()
        expect(page.get_by_text("for Test Person")).to_be_visible()
        axe.check(page)
