"""Forms shared across the service, and the GOV.UK wording of every form's errors."""

from datetime import date
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms.utils import pretty_name

from assure.core.models import AuditEvent

CHOSEN = (forms.ChoiceField, forms.ModelChoiceField, forms.FileField, forms.BooleanField)
EARLIEST_DATE = date(1990, 1, 1)
LATEST_DATE = date(2099, 12, 31)


PARTS = ("day", "month", "year")


class DateParts(forms.MultiWidget):
    """GOV.UK's date input: day, month and year boxes, posted as NAME-day, NAME-month and
    NAME-year. A single NAME=YYYY-MM-DD (links, filters in a query string) is read too."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__([forms.TextInput(attrs={"inputmode": "numeric"}) for _ in PARTS], attrs)
        self.widgets_names = [f"-{part}" for part in PARTS]

    def decompress(self, value: Any) -> list[Any]:
        return [value.day, value.month, value.year] if value else [None, None, None]

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        parts = [str(data.get(f"{name}-{part}", "")).strip() for part in PARTS]
        return parts if any(parts) else data.get(name)

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and not any(f"{name}-{part}" in data for part in PARTS)

    @staticmethod
    def parts(value: Any) -> list[str]:
        """The three boxes' contents for a bound or initial value."""
        if isinstance(value, list | tuple):
            return [str(part or "") for part in value]
        if isinstance(value, str):
            try:
                value = date.fromisoformat(value)
            except ValueError:
                return ["", "", ""]
        if isinstance(value, date):
            return [str(value.day), str(value.month), str(value.year)]
        return ["", "", ""]


class BoundedDateField(forms.DateField):
    """A date from GOV.UK's date input (or a query string's YYYY-MM-DD), kept to years the
    service's arithmetic handles.

    Python's dates stop at year 9999, so a filter such as `?to=9999-12-31` (or year 1) would
    overflow when a day or a year is added or taken away: here it is a form error instead.
    """

    widget = DateParts
    default_error_messages = {"incomplete": "%(label)s must include a %(missing)s"}

    def __init__(
        self,
        *args: Any,
        earliest: date = EARLIEST_DATE,
        latest: date = LATEST_DATE,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.earliest, self.latest = earliest, latest

    def to_python(self, value: Any) -> date | None:
        if not isinstance(value, list | tuple):
            return super().to_python(value)
        if not any(value):
            return None
        missing = [part for part, given in zip(PARTS, value, strict=True) if not given]
        if missing:
            raise forms.ValidationError(
                self.error_messages["incomplete"],
                code="incomplete",
                params={"label": str(self.label or "The date"), "missing": " and ".join(missing)},
            )
        day, month, year = value
        try:
            if len(year) != 4:
                raise ValueError(year)
            return date(int(year), int(month), int(day))
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value and not self.earliest <= value <= self.latest:
            raise forms.ValidationError(
                f"{self.label or 'The date'} must be between {self.earliest:%-d %B %Y} and "
                f"{self.latest:%-d %B %Y}",
                code="out_of_range",
            )


def _phrase(label: str) -> str:
    """A label inside a sentence: "Due date" becomes "due date"; "RAG rating" stays."""
    if len(label) > 1 and label[1].islower():
        return label[0].lower() + label[1:]
    return label


def govuk_messages(form: forms.BaseForm, required: dict[str, str]) -> None:
    """Say what is wrong with each field and what to do, GOV.UK style, instead of Django's
    "This field is required.": "Enter …" for what is typed, "Select …" for what is chosen.
    `required` gives a field's own words where its label does not make a good sentence."""
    for name, field in form.fields.items():
        label = str(field.label or pretty_name(name)).split(" (")[0]
        phrase = _phrase(label)
        verb = "Select" if isinstance(field, CHOSEN) else "Enter"
        messages = field.error_messages
        messages["required"] = required.get(name) or f"{verb} {phrase}"
        if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
            not_listed = f"Select {phrase} from the list"  # noqa: S608 (words, not SQL)
            messages["invalid_choice"] = messages["invalid_pk_value"] = not_listed
            messages["invalid_list"] = not_listed
        if isinstance(field, forms.DateField):
            messages["invalid"] = f"{label} must be a real date"
            messages["incomplete"] = f"{label} must include a %(missing)s"
        elif isinstance(field, forms.IntegerField):
            messages["invalid"] = f"{label} must be a whole number, like 3"
        elif isinstance(field, forms.FileField):
            messages["empty"] = "The selected file is empty"
            messages["missing"] = f"Select {phrase}"


def show_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """A service's refusal on the form: each problem on its field, or on the whole form."""
    if hasattr(error, "error_dict"):
        for name, problems in error.message_dict.items():
            form.add_error(name if name in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


def narrow(form: forms.BaseForm, **querysets: QuerySet[Any]) -> None:
    """Offer each named model choice field only its records (the viewer's partnership's or
    agency's): a posted choice outside them is refused as not in the list."""
    for name, queryset in querysets.items():
        field = form.fields[name]
        if not isinstance(field, forms.ModelChoiceField):
            raise TypeError(f"{name} is not a model choice field")
        field.queryset = queryset


class GovukErrors:
    """Mixed into a form: its errors are worded by `govuk_messages`."""

    required_messages: ClassVar[dict[str, str]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assert isinstance(self, forms.BaseForm)
        govuk_messages(self, self.required_messages)


class AuditSearchForm(GovukErrors, forms.Form):
    """Filters for the audit trail."""

    username = forms.CharField(label="Person (user name)", required=False, max_length=150)
    record_type = forms.CharField(label="Record type", required=False, max_length=60)
    record_id = forms.CharField(label="Record id", required=False, max_length=64)
    action = forms.ChoiceField(
        label="What happened",
        required=False,
        choices=[("", "Anything"), *AuditEvent.Action.choices],
    )
    date_from = BoundedDateField(label="From", required=False)
    date_to = BoundedDateField(label="To", required=False)

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date must be the same as or after the start date")
        return cleaned
