"""Journey: import a review; an agency implements with evidence; the learning group assures."""

from pathlib import Path

from playwright.sync_api import Page, expect

from assure.accounts.models import Agency, Role
from assure.demo import AGENCIES, POLICE
from assure.reviews.models import Action
from tests.browser.test_foundation import sign_in, sign_out

SEED = (
    Path(__file__).resolve().parents[2]
    / "src"
    / "assure"
    / "demo_data"
    / "freddie-scr-response.txt"
)


def counts(page: Page) -> tuple[str, str]:
    page.goto("/reviews/")
    return page.locator("#awaiting-count").inner_text(), page.locator(
        "#embedding-count"
    ).inner_text()


def test_the_whole_assurance_loop(page, axe, make_user, partnership, tmp_path) -> None:
    agencies = {
        spec.name: Agency.objects.create(
            partnership=partnership,
            name=spec.name,
            agency_type=spec.agency_type,
            aliases=list(spec.aliases),
        )
        for spec in AGENCIES
    }
    make_user(Role.PARTNERSHIP_MANAGER, username="manager", agency=agencies[AGENCIES[0].name])
    make_user(Role.AGENCY_LEAD, username="police", agency=agencies[POLICE])
    make_user(Role.LEARNING_GROUP_MEMBER, username="learning", agency=agencies[POLICE])

    sign_in(page, "manager")
    page.get_by_role("link", name="Reviews").first.click()
    axe.check(page)
    page.get_by_role("link", name="Add a review").click()
    page.get_by_label("Type of review").select_option(label="Serious case review (legacy)")
    page.get_by_label("Pseudonym").fill("Freddie")
    page.get_by_label("Status").select_option(label="Published")
    page.get_by_label("Incident known").fill("2018-11-05")
    page.get_by_label("Notification sent").fill("2018-11-09")
    axe.check(page)
    page.get_by_role("button", name="Save review").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Serious case review (legacy): Freddie"
    )
    expect(page.locator("#timeline")).to_contain_text("Met")
    axe.check(page)
    page.get_by_role("link", name="Import a document").click()
    page.get_by_label("Review document or action plan").set_input_files(str(SEED))
    axe.check(page)
    page.get_by_role("button", name="Read the document").click()
    expect(page.get_by_role("heading", name="Check the draft")).to_be_visible()
    axe.check(page)
    page.get_by_role("button", name="Save recommendations and actions").click()
    expect(page.get_by_text("Saved 12 recommendations")).to_be_visible()
    axe.check(page)
    awaiting_before, embedding_before = counts(page)
    axe.check(page)
    sign_out(page)

    sign_in(page, "police")
    page.get_by_role("link", name="My agency's actions").first.click()
    page.get_by_label("Status").select_option(label="In progress")
    page.get_by_role("button", name="Filter").click()
    axe.check(page)
    page.locator("table.govuk-table tbody a.govuk-link").first.click()
    action_url = page.url
    page.get_by_label("What has happened since the last update").fill(
        "Standard Operating Procedure republished force-wide with the escalation protocol."
    )
    page.get_by_label("Implemented").check()
    evidence = tmp_path / "sop-circulation.txt"
    evidence.write_text("Synthetic circulation list: 42 teams, 2026-11-20\n")
    page.get_by_label("Evidence file (optional)").set_input_files(str(evidence))
    axe.check(page)
    page.get_by_role("button", name="Add update").click()
    expect(page.get_by_text("Update added.")).to_be_visible()
    expect(page.get_by_role("link", name="sop-circulation.txt")).to_be_visible()
    axe.check(page)
    sign_out(page)

    sign_in(page, "learning")
    assert counts(page) == (str(int(awaiting_before) + 1), embedding_before)
    page.get_by_role("link", name="Awaiting assurance").first.click()
    axe.check(page)
    page.goto(action_url)
    page.get_by_label("Assured: it is implemented").check()
    page.get_by_label("What assured you, or why it is sent back").fill("Circulation list seen.")
    axe.check(page)
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("Decision recorded.")).to_be_visible()
    assert counts(page) == (awaiting_before, str(int(embedding_before) + 1))
    axe.check(page)
    sign_out(page)

    action = Action.objects.get(pk=int(action_url.rstrip("/").split("/")[-1]))
    assert action.status == "assured"
    assert list(action.updates.order_by("id").values_list("kind", flat=True)) == [
        "imported",
        "implemented",
        "assured",
    ]
