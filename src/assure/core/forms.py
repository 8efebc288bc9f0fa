"""Forms shared across the service."""

from datetime import date
from typing import Any

from django import forms

from assure.core.models import AuditEvent

EARLIEST_DATE = date(1990, 1, 1)
LATEST_DATE = date(2099, 12, 31)


class BoundedDateField(forms.DateField):
    """A date from a form or a query string, kept to years the service's arithmetic handles.

    Python's dates stop at year 9999, so a filter such as `?to=9999-12-31` (or year 1) would
    overflow when a day or a year is added or taken away: here it is a form error instead.
    """

    def __init__(
        self,
        *args: Any,
        earliest: date = EARLIEST_DATE,
        latest: date = LATEST_DATE,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.earliest, self.latest = earliest, latest

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value and not self.earliest <= value <= self.latest:
            raise forms.ValidationError(
                f"{self.label or 'The date'} must be between {self.earliest:%-d %B %Y} and "
                f"{self.latest:%-d %B %Y}",
                code="out_of_range",
            )


class AuditSearchForm(forms.Form):
    """Filters for the audit trail."""

    username = forms.CharField(label="Person (user name)", required=False, max_length=150)
    record_type = forms.CharField(label="Record type", required=False, max_length=60)
    record_id = forms.CharField(label="Record id", required=False, max_length=64)
    action = forms.ChoiceField(
        label="What happened",
        required=False,
        choices=[("", "Anything"), *AuditEvent.Action.choices],
    )
    date_from = BoundedDateField(label="From (YYYY-MM-DD)", required=False)
    date_to = BoundedDateField(label="To (YYYY-MM-DD)", required=False)

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date must be the same as or after the start date")
        return cleaned
