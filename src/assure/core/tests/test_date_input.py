"""GOV.UK's date input: three boxes in, one date out, and GOV.UK's words when one is wrong."""

from datetime import date

import pytest
from django import forms

from assure.core.forms import BoundedDateField, GovukErrors


class DueForm(GovukErrors, forms.Form):
    due_date = BoundedDateField(label="Due date")
    seen_on = BoundedDateField(label="Seen on", required=False)


def errors(data: dict[str, str]) -> dict[str, list[str]]:
    form = DueForm(data)
    form.is_valid()
    return {name: [str(problem) for problem in problems] for name, problems in form.errors.items()}


def test_three_boxes_make_one_date() -> None:
    form = DueForm({"due_date-day": "9", "due_date-month": "1", "due_date-year": "2026"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"due_date": date(2026, 1, 9), "seen_on": None}


def test_a_query_string_date_is_read_too() -> None:
    form = DueForm({"due_date": "2026-01-09"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["due_date"] == date(2026, 1, 9)


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("", "", "", "Enter due date"),
        ("9", "", "2026", "Due date must include a month"),
        ("", "1", "", "Due date must include a day and year"),
        ("31", "2", "2026", "Due date must be a real date"),
        ("9", "13", "2026", "Due date must be a real date"),
        ("9", "1", "26", "Due date must be a real date"),
        ("nine", "1", "2026", "Due date must be a real date"),
        ("9", "1", "1989", "Due date must be between 1 January 1990 and 31 December 2099"),
    ],
)
def test_what_is_wrong_is_said_in_govuk_words(day, month, year, message) -> None:
    data = {"due_date-day": day, "due_date-month": month, "due_date-year": year}
    assert errors(data) == {"due_date": [message]}


def test_an_optional_date_left_blank_is_none() -> None:
    data = {"due_date": "2026-01-09", "seen_on-day": " ", "seen_on-month": "", "seen_on-year": ""}
    form = DueForm(data)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["seen_on"] is None
