"""Forms for workforce learning, with GOV.UK wording of their errors."""

from typing import Any

from django import forms
from django.utils import timezone

from assure.accounts.models import Agency
from assure.core.forms import BoundedDateField, GovukErrors, narrow
from assure.reviews.models import Recommendation, Review
from assure.workforce.models import Dissemination, LearningProduct, WorkforceRole


class ProductForm(GovukErrors, forms.Form):
    title = forms.CharField(label="Title", max_length=200)
    kind = forms.ChoiceField(label="Kind of product", choices=LearningProduct.Kind.choices)
    published_on = BoundedDateField(label="Published on")
    review = forms.ModelChoiceField(label="Review", queryset=Review.objects.none(), required=False)
    recommendations = forms.ModelMultipleChoiceField(
        label="Recommendations it answers",
        queryset=Recommendation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    link = forms.URLField(label="Link (or upload the file below)", required=False, max_length=500)
    upload = forms.FileField(label="File", required=False)

    def __init__(self, *args: Any, reviews: Any, recommendations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        narrow(self, review=reviews, recommendations=recommendations)
        self.fields["recommendations"].label_from_instance = lambda r: (  # type: ignore[attr-defined]
            f"{r.review}: recommendation {r.number}"
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("link") and not cleaned.get("upload") and not self.errors:
            self.add_error("link", "Enter a link to the product or upload its file")
        return cleaned


class DisseminationForm(GovukErrors, forms.Form):
    agency = forms.ModelChoiceField(label="Agency", queryset=Agency.objects.none())
    date = BoundedDateField(label="Date shared")
    methods = forms.MultipleChoiceField(
        label="How it was shared",
        choices=Dissemination.Method.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    staff_reached = forms.IntegerField(label="How many staff it reached", min_value=0)
    upload = forms.FileField(
        label="Proof (optional): minutes, a bulletin, a register", required=False
    )

    required_messages = {"methods": "Select how it was shared"}

    def __init__(self, *args: Any, agencies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        narrow(self, agency=agencies)

    def clean_date(self) -> Any:
        day = self.cleaned_data["date"]
        if day > timezone.localdate():
            raise forms.ValidationError("The date shared must be today or in the past")
        return day


class DeclarationForm(GovukErrors, forms.Form):
    agency = forms.ModelChoiceField(label="Agency", queryset=Agency.objects.none())
    role = forms.ChoiceField(label="Role", choices=WorkforceRole.choices)
    headcount = forms.IntegerField(label="How many staff", min_value=0, max_value=1_000_000)
    as_of = BoundedDateField(label="As at")

    def __init__(self, *args: Any, agencies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        narrow(self, agency=agencies)

    def clean_as_of(self) -> Any:
        day = self.cleaned_data["as_of"]
        if day > timezone.localdate():
            raise forms.ValidationError("The date must be today or in the past")
        return day


class CourseForm(GovukErrors, forms.Form):
    recommendations = forms.ModelMultipleChoiceField(
        label="Recommendations it answers",
        queryset=Recommendation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    roles = forms.MultipleChoiceField(
        label="Roles it is for (none: every role)",
        choices=WorkforceRole.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    target = forms.IntegerField(label="Reach target (%)", min_value=1, max_value=100)

    def __init__(self, *args: Any, recommendations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        narrow(self, recommendations=recommendations)
        self.fields["recommendations"].label_from_instance = lambda r: (  # type: ignore[attr-defined]
            f"{r.review}: recommendation {r.number}"
        )


class TrainingUploadForm(GovukErrors, forms.Form):
    upload = forms.FileField(label="Attendance file (.csv or .xlsx)")

    required_messages = {"upload": "Select the attendance file"}


class PeriodForm(GovukErrors, forms.Form):
    start = BoundedDateField(label="From", required=False)
    end = BoundedDateField(label="To", required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", "The end date must be the same as or after the start date")
        return cleaned
