"""Journey: a partnership manager imports a training attendance file (a bad one first) and
publishes a learning synopsis for recommendation 9; the police's safeguarding lead declares
their workforce and records sharing the synopsis; the manager links the course to
recommendation 9 and sees its reach and confidence change on the course and review pages."""

import time_machine
from playwright.sync_api import Page, expect

from assure.accounts.models import Role
from assure.reviews.models import Recommendation, Review
from tests.browser.test_foundation import sign_in, sign_out

HEADER = "course,session_date,agency,role,attendee_ref,attended,confidence_before,confidence_after"
GOOD = "\n".join(
    [HEADER]
    + [
        f"CSAFE one-day training,2026-03-10,Testshire Police,police_cae,B{i},Y,{b},{a}"
        for i, (b, a) in enumerate([(2, 4), (3, 4), (2, 3), (1, 3), (3, 3), (2, 4)], start=1)
    ]
)
BAD = HEADER + "\nCSAFE one-day training,2026-03-10,Testshire Police,police_cae,Jane Smith,Y,,\n"


def test_training_reach_and_dissemination(
    page: Page, axe, make_user, partnership, partnership_agency, police
) -> None:
    with time_machine.travel("2026-07-01 09:00Z"):
        review = Review.objects.create(
            partnership=partnership, review_type=Review.Type.LCSPR, pseudonym="Child T"
        )
        Recommendation.objects.create(
            partnership=partnership, review=review, number=9, text="Train front-line staff."
        )
        make_user(Role.PARTNERSHIP_MANAGER, agency=partnership_agency, username="pam")
        make_user(Role.AGENCY_LEAD, agency=police, username="pete")

        sign_in(page, "pam")
        page.get_by_role("link", name="Workforce learning").first.click()
        axe.check(page)
        page.get_by_role("link", name="Import training attendance").click()
        page.get_by_label("Attendance file (.csv or .xlsx)").set_input_files(
            files=[{"name": "bad.csv", "mimeType": "text/csv", "buffer": BAD.encode()}]
        )
        page.get_by_role("button", name="Import").click()
        expect(page.get_by_text("bad.csv was not imported: nothing was saved")).to_be_visible()
        expect(page.get_by_text("row 2, column attendee_ref: “Jane Smith”")).to_be_visible()
        axe.check(page)
        page.get_by_label("Attendance file (.csv or .xlsx)").set_input_files(
            files=[{"name": "good.csv", "mimeType": "text/csv", "buffer": GOOD.encode()}]
        )
        page.get_by_role("button", name="Import").click()
        expect(page.get_by_text("6 attendance rows imported from good.csv")).to_be_visible()

        page.get_by_role("link", name="Publish a learning product").click()
        page.get_by_label("Title").fill("Learning synopsis: Child T")
        page.get_by_label("Kind of product").select_option(label="Learning synopsis")
        page.get_by_label("Child T: recommendation 9").check()
        page.get_by_label("Link (or upload the file below)").fill("https://example.org/synopsis")
        axe.check(page)
        page.get_by_role("button", name="Publish").click()
        expect(page.get_by_text("“Learning synopsis: Child T” published")).to_be_visible()
        sign_out(page)

        sign_in(page, "pete")
        page.get_by_role("link", name="Workforce learning").first.click()
        page.get_by_role("link", name="Declare your workforce").click()
        page.get_by_label("Role").select_option(
            label="Police in child abuse and exploitation teams"
        )
        page.get_by_label("How many staff").fill("20")
        page.get_by_role("button", name="Save headcount").click()
        expect(page.get_by_text("Workforce recorded")).to_be_visible()
        axe.check(page)
        page.get_by_role("link", name="Workforce learning").first.click()
        page.get_by_role("link", name="Learning synopsis: Child T").click()
        page.get_by_label("Team meetings").check()
        page.get_by_label("How many staff it reached").fill("15")
        page.get_by_role("button", name="Record dissemination").click()
        expect(page.get_by_text("Dissemination recorded")).to_be_visible()
        expect(page.get_by_role("row", name="Testshire Police")).to_contain_text("75%")
        axe.check(page)
        sign_out(page)

        sign_in(page, "pam")
        page.get_by_role("link", name="Workforce learning").first.click()
        page.get_by_role("link", name="CSAFE one-day training").click()
        expect(
            page.get_by_text("6 distinct attendees out of a declared workforce of 20")
        ).to_be_visible()
        expect(page.get_by_text("6 paired answers").first).to_be_visible()
        page.get_by_label("Child T: recommendation 9").check()
        page.get_by_label("Reach target (%)").fill("25")
        page.get_by_role("button", name="Save course").click()
        expect(page.get_by_text("Course saved")).to_be_visible()
        axe.check(page)
        page.goto(page.url.split("/workforce/")[0] + f"/reviews/{review.pk}/")
        expect(
            page.get_by_text("reach 30% (6 of 20 staff) against a target of 25%")
        ).to_be_visible()
        axe.check(page)
