"""Journeys: an agency lead implements an action with evidence; the learning group examines it,
assures it, sees its measure hold at target for three months and marks it embedded; a later
import in which the measure slips raises it again on the learning group's queue."""

from datetime import date

import time_machine
from playwright.sync_api import Page, expect

from assure.accounts.models import Role
from assure.core.viewer import Viewer
from assure.reviews import services
from assure.reviews.models import Action, Recommendation, Review
from assure.reviews.tests.test_embedding import FEB_TO_APR, MEASURE, extract
from tests.browser.dates import fill_date
from tests.browser.test_foundation import sign_in, sign_out

DESCRIPTION = "Republish the escalation protocol to every police safeguarding team"


def fits_320_pixels(page: Page) -> None:
    """The page reflows at 320 CSS pixels: nothing makes it scroll sideways."""
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.set_viewport_size({"width": 1280, "height": 800})


def plan(make_user, police, council) -> Action:
    manager = make_user(Role.PARTNERSHIP_MANAGER, username="manager", agency=council)
    make_user(Role.AGENCY_LEAD, username="police", agency=police)
    make_user(Role.LEARNING_GROUP_MEMBER, username="learning", agency=council)
    review = services.save_review(
        Viewer.of(manager), Review(), {"review_type": "lcspr", "pseudonym": "Sam"}
    )
    recommendation = services.save_recommendation(
        Viewer.of(manager),
        Recommendation(review=review),
        agencies=[police],
        number=1,
        text="Make sure core groups meet promptly once a plan starts.",
        measures=[MEASURE],
    )
    return services.save_action(
        Viewer.of(manager),
        Action(recommendation=recommendation, agency=police),
        description=DESCRIPTION,
        due_date=date(2026, 3, 31),
    )


def test_agency_lead_updates_with_evidence_to_implemented(
    page: Page, axe, make_user, police, council
) -> None:
    with time_machine.travel("2026-01-12 09:00Z"):
        plan(make_user, police, council)
        sign_in(page, "police")
        # The to-do list names the action: it has no owner yet.
        todo = page.get_by_role("main")
        expect(todo).to_contain_text("No owner or no due date (1)")
        axe.check(page)
        todo.get_by_role("link", name=DESCRIPTION).click()
        fits_320_pixels(page)
        page.get_by_label("What has happened since the last update").fill(
            "Protocol republished to all 14 safeguarding teams."
        )
        page.get_by_label("Implemented", exact=True).check()
        page.get_by_role("button", name="Add update").click()
        expect(page.get_by_text("Add evidence (a file, a link or a note")).to_have_count(2)
        axe.check(page)
        page.get_by_label("What was seen (optional)").fill("Protocol on the intranet front page")
        page.get_by_label("Seen by").fill("D. Sergeant")
        fill_date(page, "Seen on", "2026-01-09")
        page.get_by_role("button", name="Add update").click()
        expect(page.get_by_text("Update added.")).to_be_visible()
        expect(page.get_by_text("Seen by D. Sergeant on 9 Jan 2026")).to_be_visible()
        axe.check(page)
        sign_out(page)
    assert Action.objects.get().status == "implemented"


def test_learning_group_assures_embeds_and_sees_the_measure_slip(
    page: Page, axe, make_user, partnership, police, council
) -> None:
    with time_machine.travel("2026-01-12 09:00Z"):
        action = plan(make_user, police, council)
        services.move_action(
            Viewer.of(police.people.get()),
            action,
            "implement",
            services.MoveDetails(
                narrative="Protocol republished to all 14 safeguarding teams.",
                notes=[
                    services.SeenNote("Protocol on the intranet", "D. Sergeant", date(2026, 1, 9))
                ],
            ),
        )
    with time_machine.travel("2026-01-15 11:00Z"):
        sign_in(page, "learning")
        page.get_by_role("link", name="Awaiting assurance").first.click()
        expect(page.locator("#awaiting")).to_contain_text("1 item")
        axe.check(page)
        page.get_by_role("link", name=DESCRIPTION).click()
        page.get_by_label("Assured: it is implemented").check()
        page.get_by_label("What evidence you examined (to assure)").fill(
            "Intranet page and the circulation list for 14 teams."
        )
        axe.check(page)
        page.get_by_role("button", name="Record decision").click()
        expect(page.get_by_text("Decision recorded.")).to_be_visible()
        expect(page.get_by_text("Evidence examined: Intranet page")).to_be_visible()
        sign_out(page)

    extract(partnership, FEB_TO_APR, date(2026, 4, 30))  # at target in Feb, Mar and Apr
    with time_machine.travel("2026-05-05 09:00Z"):
        sign_in(page, "learning")
        page.goto(f"/reviews/actions/{action.pk}/")
        expect(page.locator("#measure ~ p").first).to_contain_text("It has held for 3 of 3")
        page.get_by_label("Embedded: practice has changed and stayed changed").check()
        page.get_by_label("Its measure stayed at or above target").check()
        axe.check(page)
        fits_320_pixels(page)
        page.get_by_role("button", name="Record decision").click()
        expect(page.get_by_text("Decision recorded.")).to_be_visible()
        expect(page.locator(".govuk-tag", has_text="Embedded").first).to_be_visible()
        axe.check(page)
        sign_out(page)

    # May's plan has no core group: below target after "embedded".
    with time_machine.travel("2026-06-01 08:00Z"):
        extract(partnership, [*FEB_TO_APR, ("2026-05-01", False)], date(2026, 6, 1))
        sign_in(page, "learning")
        page.get_by_role("link", name="Awaiting assurance").first.click()
        slipped = page.locator("#slipped ~ .app-table-scroll table")
        expect(slipped).to_contain_text(DESCRIPTION)
        expect(slipped).to_contain_text("1 Jun 2026")
        axe.check(page)
        slipped.get_by_role("link", name=DESCRIPTION).click()
        expect(page.get_by_text("Raised for review on 1 Jun 2026")).to_be_visible()
        expect(page.get_by_label("Still embedded, although its measure slipped")).to_be_visible()
        axe.check(page)
        fits_320_pixels(page)
        sign_out(page)

    assert list(Action.objects.get().updates.order_by("id").values_list("kind", flat=True)) == [
        "implemented",
        "assured",
        "embedded",
    ]
    assert Action.objects.get().slipped_on == date(2026, 6, 1)
