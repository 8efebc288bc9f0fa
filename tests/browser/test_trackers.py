"""Journey: a team manager checks the weekly tracker, an indicator and the children behind it."""

from datetime import date
from pathlib import Path

from playwright.sync_api import Page, expect

from assure.accounts.models import Partnership, Role, RoleGrant
from assure.casedata import synth
from assure.casedata.importer.run import import_tables
from assure.core.models import AuditEvent
from assure.indicators import selectors
from tests.browser.test_foundation import sign_in, sign_out

AS_OF = date(2026, 10, 31)


def load_extract(partnership: Partnership, folder: Path) -> None:
    synth.generate(folder, children=300, seed=1, as_of=AS_OF)
    result = import_tables(
        partnership, {p.stem: p for p in folder.glob("*.csv")}, actor=None, extract_date=AS_OF
    )
    assert result.ok


def test_team_manager_tracker_journey(page: Page, axe, make_user, partnership, tmp_path) -> None:
    load_extract(partnership, tmp_path)
    weekly = selectors.weekly(partnership.pk, AS_OF, None)
    team = weekly.teams[0].name
    others = [t.name for t in weekly.teams[1:]]
    make_user(
        Role.CHILDRENS_SERVICES_MANAGER,
        username="manager1",
        scope=RoleGrant.Scope.TEAM,
        scope_name=team,
    )

    sign_in(page, "manager1")
    page.goto("/trackers/weekly/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Weekly tracker")
    expect(page.get_by_role("heading", level=2, name=team)).to_be_visible()
    for other in others:
        expect(page.get_by_role("heading", level=2, name=other, exact=True)).to_have_count(0)
    axe.check(page)

    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Trackers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Trackers")
    axe.check(page)

    page.get_by_role("link", name="Core groups at most 6 weeks apart").click()
    expect(page.get_by_role("img", name="Line chart:")).to_be_visible()
    axe.check(page)

    page.get_by_role("link", name="behind this figure").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Children behind this figure")
    axe.check(page)
    sign_out(page)

    assert AuditEvent.objects.filter(
        action="view", record_type="indicator.children", actor_username="manager1"
    ).exists()
    assert AuditEvent.objects.filter(
        action="view", record_type="tracker.weekly", actor_username="manager1"
    ).exists()


def test_board_member_sees_team_figures_without_workers(
    page: Page, axe, make_user, partnership, tmp_path
) -> None:
    load_extract(partnership, tmp_path)
    make_user(Role.BOARD_MEMBER, username="board1")

    sign_in(page, "board1")
    page.goto("/trackers/")
    expect(page.get_by_text("figures by worker are for children's services only")).to_be_visible()
    axe.check(page)

    page.get_by_role("link", name="Core groups at most 6 weeks apart").click()
    expect(page.get_by_role("heading", level=2, name="By team")).to_be_visible()
    expect(page.get_by_role("heading", level=2, name="By worker")).to_have_count(0)
    expect(page.get_by_role("link", name="behind this figure")).to_have_count(0)
    axe.check(page)
    sign_out(page)
