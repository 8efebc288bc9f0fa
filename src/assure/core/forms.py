"""Forms shared across the service."""

from django import forms

from assure.core.models import AuditEvent


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
    date_from = forms.DateField(label="From (YYYY-MM-DD)", required=False)
    date_to = forms.DateField(label="To (YYYY-MM-DD)", required=False)

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date must be the same as or after the start date")
        return cleaned
