"""Journey: each person's home page is their to-do list; the progress report passes axe."""

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import Page, expect

from assure.accounts.models import Role
from assure.reviews.models import Action, ActionStatus, ActionUpdate, Recommendation, Review
from tests.browser.test_foundation import sign_in, sign_out


def _update(action: Action, author, kind: str, status: str, narrative: str) -> None:
    update = ActionUpdate.objects.create(
        partnership=action.partnership,
        action=action,
        kind=kind,
        status=status,
        narrative=narrative,
        author=author,
    )
    Action.objects.filter(pk=action.pk).update(status=status, latest_update=update)


def test_agency_lead_and_learning_group_work_from_their_to_do_lists(
    page: Page, axe, make_user, partnership, police, council
) -> None:
    today = timezone.localdate()
    lead = make_user(Role.AGENCY_LEAD, agency=police, username="police1")
    learning = make_user(Role.LEARNING_GROUP_MEMBER, agency=council, username="learning1")
    review = Review.objects.create(
        partnership=partnership, review_type=Review.Type.LCSPR, pseudonym="Sam"
    )
    rec = Recommendation.objects.create(
        partnership=partnership, review=review, number=1, text="Share notifications the same day."
    )

    def action(description: str, **fields) -> Action:
        return Action.objects.create(
            partnership=partnership,
            recommendation=rec,
            agency=police,
            description=description,
            **fields,
        )

    overdue = action("Audit strategy discussions", owner=lead, due_date=today - timedelta(10))
    action("Publish the referral protocol", owner=lead, due_date=today + timedelta(5))
    sent = action("Report on notifications shared", owner=lead, due_date=today + timedelta(60))
    _update(sent, lead, "implemented", ActionStatus.IMPLEMENTED, "Done")
    _update(
        sent, learning, ActionUpdate.Kind.SENT_BACK, ActionStatus.IN_PROGRESS, "No audit sample."
    )
    waiting = action("Train every sergeant", owner=lead, due_date=today + timedelta(30))
    _update(waiting, lead, "implemented", ActionStatus.IMPLEMENTED, "All trained")

    sign_in(page, "police1")
    navigation = page.get_by_role("navigation", name="Main menu")
    expect(navigation.get_by_role("link", name="Home (3 to do)")).to_be_visible()
    expect(page.get_by_role("heading", name="Your to-do list")).to_be_visible()
    expect(page.locator("#agency-work")).to_contain_text("Sent back")
    expect(page.locator("#agency-work")).to_contain_text("No audit sample.")
    axe.check(page)
    page.locator("#agency-work").get_by_role("link", name="Audit strategy discussions").click()
    expect(page).to_have_url(re.compile(rf"/reviews/actions/{overdue.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Audit strategy discussions")
    axe.check(page)
    sign_out(page)

    sign_in(page, "learning1")
    expect(page.locator("#learning-work")).to_contain_text("Awaiting assurance (implemented) (1)")
    expect(page.locator("#learning-work")).to_contain_text("Train every sergeant")
    expect(page.get_by_role("link", name="Home (1 to do)")).to_be_visible()
    axe.check(page)
    page.goto(f"/reviews/{review.pk}/")
    page.get_by_role("link", name="Progress report", exact=True).click()
    expect(page.get_by_role("heading", name="Recommendation 1")).to_be_visible()
    expect(page.locator("#report-stamp")).to_contain_text("Digest (SHA-256)")
    axe.check(page)
