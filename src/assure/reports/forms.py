"""The form for making a report."""

from typing import ClassVar

from django import forms

from assure.core.forms import GovukErrors
from assure.reports.models import Format
from assure.reports.periods import BadPeriod, Quarter


class ReportForm(GovukErrors, forms.Form):
    required_messages: ClassVar[dict[str, str]] = {
        "period": "Enter the quarter, for example 2026-Q3",
        "format": "Select PDF or web page",
    }

    period = forms.CharField(
        label="Quarter",
        max_length=20,
        help_text="Year and quarter, for example 2026-Q3 for July to September 2026.",
    )
    format = forms.ChoiceField(label="Format", choices=Format.choices, widget=forms.RadioSelect)

    def clean_period(self) -> str:
        try:
            return str(Quarter.parse(self.cleaned_data["period"]))
        except BadPeriod as error:
            raise forms.ValidationError(str(error)) from None
