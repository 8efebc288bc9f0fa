"""Journey: a system administrator uploads an extract with a mistake, reads what is wrong,
then uploads the corrected extract and sees what changed."""

from pathlib import Path

from playwright.sync_api import Page, expect

from assure.casedata import models
from assure.casedata.tests.extracts import base_tables, write_extract
from assure.casedata.tests.test_views import zipped as zip_bytes
from assure.core.models import AuditEvent
from tests.browser.dates import fill_date
from tests.browser.test_foundation import sign_in, sign_out


def zipped(folder: Path, target: Path) -> Path:
    target.write_bytes(zip_bytes(folder))
    return target


def test_administrator_imports_an_extract(page: Page, axe, admin_user, tmp_path) -> None:
    tables = base_tables()
    good = zipped(write_extract(tmp_path / "good", tables), tmp_path / "good.zip")
    tables["ssd_cp_visits"][0]["cppv_cp_visit_seen"] = "perhaps"
    bad = zipped(write_extract(tmp_path / "bad", tables), tmp_path / "bad.zip")

    sign_in(page, "sysadmin")
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Case data").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Case data")
    expect(page.get_by_text("No extract has been imported yet.")).to_be_visible()
    axe.check(page)

    page.get_by_label("Extract", exact=True).set_input_files(bad)
    page.get_by_role("button", name="Check and import").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("The extract has 1 problem: nothing was imported")
    problems = page.get_by_role("table", name="Problems in the extract")
    expect(problems.get_by_role("row").nth(1)).to_contain_text("ssd_cp_visits.csv")
    expect(problems.get_by_role("row").nth(1)).to_contain_text("perhaps")
    axe.check(page)
    assert not models.Person.objects.exists()

    page.get_by_label("Extract", exact=True).set_input_files(good)
    fill_date(page, "Date the extract was taken", "2025-06-30")
    # Importing also prepares the trackers' figures: slow on a busy machine.
    page.get_by_role("button", name="Check and import").click(timeout=60_000)
    done = "Extract imported: 24 rows added, 0 changed, 0 removed."
    expect(page.get_by_text(done)).to_be_visible()
    expect(page.get_by_text("30 June 2025")).to_be_visible()
    tables_list = page.get_by_role("table", name="Tables")
    expect(tables_list.get_by_role("row", name="ssd_person.csv")).to_contain_text("3")
    axe.check(page)
    sign_out(page)

    assert models.Person.objects.count() == 3
    assert AuditEvent.objects.filter(action="import", actor_username="sysadmin").count() == 1
