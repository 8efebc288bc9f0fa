"""Forms for reviews, recommendations, actions, updates and assurance."""

from typing import Any

from django import forms
from django.core.validators import URLValidator
from django.http import QueryDict

from assure.accounts.models import Agency, User
from assure.core.forms import BoundedDateField
from assure.indicators.engine import REGISTRY
from assure.reviews.models import (
    Action,
    ActionStatus,
    Evidence,
    Rag,
    Recommendation,
    Review,
    Theme,
)
from assure.reviews.services import REVIEW_FIELDS

DATE = forms.DateInput(attrs={"type": "date"})


class VersionedForm(forms.ModelForm):
    """Carries the version of the record the form was opened at, so that a save from a form
    opened before someone else's save is refused rather than silently overwrite it."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("version", getattr(self.instance, "version", 0))

    def take_version(self, version: int) -> None:
        """Show the form again at `version`: saving it then replaces what is saved."""
        data = QueryDict(mutable=True)
        data.update(self.data)  # every value of every field, as posted
        data[self.add_prefix("version")] = str(version)
        self.data = data


class ReviewForm(VersionedForm):
    class Meta:
        model = Review
        fields = REVIEW_FIELDS
        widgets = {name: DATE for name in fields[4:]}


class RecommendationForm(VersionedForm):
    agencies = forms.ModelMultipleChoiceField(
        queryset=Agency.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    themes = forms.ModelMultipleChoiceField(
        queryset=Theme.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    measures = forms.MultipleChoiceField(
        label="Live measures",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Trackers that will show whether the change has stuck.",
    )

    class Meta:
        model = Recommendation
        fields = ["number", "text", "to_partnership"]

    def __init__(self, *args: Any, partnership_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agencies = self.fields["agencies"]
        themes = self.fields["themes"]
        assert isinstance(agencies, forms.ModelMultipleChoiceField)
        assert isinstance(themes, forms.ModelMultipleChoiceField)
        agencies.queryset = Agency.objects.filter(partnership_id=partnership_id)
        themes.queryset = Theme.objects.filter(partnership_id=partnership_id)
        measures = self.fields["measures"]
        assert isinstance(measures, forms.MultipleChoiceField)
        measures.choices = [(i.id, i.title) for i in REGISTRY.values()]
        if self.instance.pk:
            self.initial["measures"] = self.instance.measures
            self.initial["agencies"] = list(self.instance.agencies.all())
            self.initial["themes"] = list(self.instance.themes.all())


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.get_full_name() or obj.username} ({obj.agency})"


class ActionForm(VersionedForm):
    class Meta:
        model = Action
        fields = ["agency", "description", "owner", "outcome_sought", "success_measure", "due_date"]
        widgets = {"due_date": DATE}
        field_classes = {"owner": PersonChoiceField}
        help_texts = {
            "description": "Say what will be produced or changed, not just “review” or “consider”.",
            "success_measure": "How will the learning group know it worked? Name data if you can.",
        }

    def __init__(self, *args: Any, partnership_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency = self.fields["agency"]
        owner = self.fields["owner"]
        assert isinstance(agency, forms.ModelChoiceField)
        assert isinstance(owner, forms.ModelChoiceField)
        agency.queryset = Agency.objects.filter(partnership_id=partnership_id)
        owner.queryset = User.objects.filter(
            agency__partnership_id=partnership_id, is_active=True
        ).order_by("last_name", "first_name")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        owner, agency = cleaned.get("owner"), cleaned.get("agency")
        if owner and agency and owner.agency_id != agency.pk:
            self.add_error("owner", "The owner must work for the action's agency.")
        return cleaned


class UpdateForm(forms.Form):
    """An agency lead's progress update."""

    narrative = forms.CharField(
        label="What has happened since the last update", widget=forms.Textarea
    )
    status = forms.ChoiceField(
        choices=[
            (s.value, s.label)
            for s in (ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS, ActionStatus.IMPLEMENTED)
        ],
        widget=forms.RadioSelect,
        help_text="Choose implemented only when the action is done and you have evidence.",
    )
    rag = forms.ChoiceField(
        label="RAG rating",
        choices=[("", "No rating"), *Rag.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    evidence_file = forms.FileField(
        label="Evidence file (optional)",
        required=False,
        help_text="PDF, Word, Excel, PowerPoint, OpenDocument, image, CSV or text; up to 10 MB.",
    )
    evidence_links = forms.CharField(
        label="Evidence links (optional)",
        required=False,
        widget=forms.Textarea,
        help_text="One web address a line, for example a page on the partnership's website.",
    )

    def clean_evidence_links(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["evidence_links"].splitlines()]
        links = [line for line in lines if line]
        check = URLValidator(schemes=["https", "http"])
        longest = Evidence._meta.get_field("link").max_length or 0
        for link in links:
            if len(link) > longest:
                raise forms.ValidationError(
                    f"“{link[:60]}…” is longer than {longest} characters: link to a shorter "
                    "address for the same page"
                )
            try:
                check(link)
            except forms.ValidationError:
                raise forms.ValidationError(
                    f"“{link}” is not a web address: start it with https://"
                ) from None
        return links


class AssuranceForm(forms.Form):
    """The learning group's decision on an implemented or assured action."""

    decision = forms.ChoiceField(
        label="Decision",
        widget=forms.RadioSelect,
        choices=[
            ("assured", "Assured: it is implemented"),
            ("embedded", "Embedded: practice has changed and stayed changed"),
            ("sent_back", "Send back to the agency"),
        ],
    )
    comment = forms.CharField(
        label="What assured you, or why it is sent back", widget=forms.Textarea
    )


class ActionFilterForm(forms.Form):
    q = forms.CharField(label="Words", required=False)
    agency = forms.ModelChoiceField(queryset=Agency.objects.none(), required=False)
    status = forms.ChoiceField(choices=[("", "Any"), *ActionStatus.choices], required=False)
    theme = forms.ModelChoiceField(queryset=Theme.objects.none(), required=False)
    review = forms.ModelChoiceField(queryset=Review.objects.none(), required=False)
    due_from = BoundedDateField(label="Due from", required=False, widget=DATE)
    due_to = BoundedDateField(label="Due by", required=False, widget=DATE)
    overdue = forms.BooleanField(label="Only overdue actions", required=False)

    def __init__(self, *args: Any, partnership_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, model in (("agency", Agency), ("theme", Theme), ("review", Review)):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = model.objects.filter(partnership_id=partnership_id)
            field.empty_label = "Any"


class DocumentForm(forms.Form):
    document = forms.FileField(
        label="Review document or action plan",
        help_text="Text, Markdown, Word (.docx) or PDF with a text layer; or an action-plan "
        "table as CSV, Excel (.xlsx) or Word.",
    )
