"""Journey: a partnership manager opens a Section 11 round for the police; the police lead
rates every standard (first submitting too early), adds an improvement action and submits;
the learning group challenges one rating, first without a reason, and the round's dashboard
shows both ratings and the disagreement. On the Reviews page the learning group sees the case
review only, then chooses the self-assessment rounds and follows the round's review to its
improvement action. Each page passes axe."""

import time_machine
from playwright.sync_api import Page, expect

from assure.accounts.models import Role
from assure.reviews.models import Review
from tests.browser.dates import fill_date
from tests.browser.test_foundation import sign_in, sign_out

RATINGS = ["Fully met", "Partly met", "Fully met", "Fully met", "Fully met", "Not met"]
RATINGS += ["Fully met", "Partly met"]


def test_agency_rates_and_submits_then_learning_group_challenges(
    page: Page, axe, make_user, partnership_agency, police, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel("2026-05-04 09:00Z", tick=True):
        make_user(Role.PARTNERSHIP_MANAGER, agency=partnership_agency, username="manager")
        make_user(Role.LEARNING_GROUP_MEMBER, agency=partnership_agency, username="lg")
        make_user(Role.AGENCY_LEAD, agency=police, username="police1")
        Review.objects.create(
            partnership=police.partnership, review_type=Review.Type.LCSPR, pseudonym="Alex"
        )

        sign_in(page, "manager")
        page.get_by_role("link", name="Self-assessments").first.click()
        axe.check(page)
        page.get_by_role("link", name="Open a round").click()
        page.get_by_label("Name of the round").fill("Section 11 2026-27")
        page.get_by_label("Framework").select_option(label="Section 11 standards (version 1)")
        page.get_by_label("Testshire Police").check()
        fill_date(page, "Submissions due by", "2026-06-30")
        axe.check(page)
        page.get_by_role("button", name="Open the round").click()
        expect(page.get_by_text("each agency's lead can now rate")).to_be_visible()
        sign_out(page)

        sign_in(page, "police1")
        page.get_by_role("link", name="Self-assessments").first.click()
        page.get_by_role("link", name="Section 11 2026-27: rate and submit").click()
        axe.check(page)
        page.get_by_role("group", name="Standard 1: how well").get_by_label("Fully met").check()
        page.get_by_role("button", name="Submit to the learning group").click()
        expect(page.get_by_text("not yet rated 2, 3, 4, 5, 6, 7, 8").first).to_be_visible()
        axe.check(page)
        for number, rating in enumerate(RATINGS, start=1):
            group = page.get_by_role("group", name=f"Standard {number}: how well")
            group.get_by_label(rating, exact=True).check()
        page.get_by_label("What shows it").nth(5).fill("Only two of five units hold meetings")
        page.get_by_label("Evidence file (optional)").nth(5).set_input_files(
            {"name": "mash.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 synthetic"}
        )
        page.get_by_role("button", name="Save ratings").click()
        expect(page.get_by_role("link", name="mash.pdf")).to_be_visible()
        expect(page.get_by_text("Ratings saved: submit when ready.")).to_be_visible()

        page.get_by_role("link", name="Add an improvement action").click()
        page.get_by_label("Standard it improves").select_option(
            label="6. Inter-agency working and information sharing"
        )
        page.get_by_label("What your agency will do").fill("Join the daily MASH meeting")
        fill_date(page, "Due date", "2026-09-30")
        axe.check(page)
        page.get_by_role("button", name="Add the action").click()
        expect(page.get_by_text("Improvement action added")).to_be_visible()
        page.get_by_role("button", name="Submit to the learning group").click()
        expect(page.get_by_text("Submitted to the learning group.")).to_be_visible()
        expect(page.get_by_text("Not met").first).to_be_visible()
        axe.check(page)
        page.get_by_role("link", name="My agency's actions").first.click()
        expect(page.get_by_text("Join the daily MASH meeting")).to_be_visible()
        sign_out(page)

        sign_in(page, "lg")
        page.get_by_role("link", name="Self-assessments").first.click()
        page.get_by_role("link", name="Section 11 2026-27", exact=True).click()
        page.get_by_role("link", name="Challenge Testshire Police").click()
        expect(page.get_by_role("link", name="mash.pdf")).to_be_visible()
        axe.check(page)
        group = page.get_by_role("group", name="Standard 1: the learning group's rating")
        group.get_by_label("Partly met", exact=True).check()
        page.get_by_role("button", name="Record the challenge").click()
        expect(
            page.get_by_text("Say why standard 1 is partly met rather than fully met").first
        ).to_be_visible()
        axe.check(page)
        page.get_by_label("Reasons").first.fill("No board minutes on safeguarding this year")
        page.get_by_role("button", name="Record the challenge").click()
        expect(page.get_by_text("Challenge of Testshire Police recorded.")).to_be_visible()
        expect(page.get_by_text("Changed at challenge").first).to_be_visible()
        expect(page.get_by_text("No board minutes on safeguarding this year")).to_be_visible()
        axe.check(page)

        page.get_by_role("link", name="Reviews").first.click()
        reviews = page.get_by_role("table", name="Case and learning reviews")
        alex = reviews.get_by_role("link", name="Local child safeguarding practice review: Alex")
        expect(alex).to_be_visible()
        expect(reviews.get_by_text("Section 11 2026-27")).to_have_count(0)
        expect(page.get_by_label("Case and learning reviews (1)")).to_be_checked()
        axe.check(page)
        page.get_by_label("Self-assessment rounds (1)").check()
        page.get_by_role("button", name="Show these").click()
        rounds = page.get_by_role("table", name="Self-assessment rounds")
        expect(rounds.get_by_text("Alex")).to_have_count(0)
        expect(page.get_by_label("Self-assessment rounds (1)")).to_be_checked()
        axe.check(page)
        rounds.get_by_role("link", name="Self-assessment: Section 11 2026-27").click()
        expect(page.get_by_text("improvement actions of a self-assessment round")).to_be_visible()
        expect(page.get_by_text("Join the daily MASH meeting")).to_be_visible()
        axe.check(page)
