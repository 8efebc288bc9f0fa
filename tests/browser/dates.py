"""Filling GOV.UK's date input (day, month and year boxes in a fieldset) as a person would."""

from datetime import date

from playwright.sync_api import Page


def fill_date(page: Page, legend: str, iso: str) -> None:
    """Type `iso` (YYYY-MM-DD) into the day, month and year boxes under `legend`."""
    when = date.fromisoformat(iso)
    group = page.get_by_role("group", name=legend, exact=True)
    group.get_by_label("Day").fill(str(when.day))
    group.get_by_label("Month").fill(str(when.month))
    group.get_by_label("Year").fill(str(when.year))
