"""Forms for reviews, recommendations, actions, updates and assurance."""

from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.validators import URLValidator
from django.db.models import Q
from django.http import QueryDict
from django.utils import timezone

from assure.accounts.models import Agency, User
from assure.core.forms import BoundedDateField, GovukErrors, narrow
from assure.reviews.lifecycle import CLOSED, Move, Need
from assure.reviews.measures import choices as measure_choices
from assure.reviews.measures import choices_by_kind
from assure.reviews.models import (
    Action,
    ActionStatus,
    ActionUpdate,
    Evidence,
    Rag,
    Recommendation,
    Review,
    Theme,
)
from assure.reviews.services import REVIEW_FIELDS, SeenNote, duplicate_number


def grouped_measures(partnership_id: int) -> list[tuple[str, list[tuple[str, str]]]]:
    """Measures for a list a person can scan: each kind under its heading in the registry
    (the catalogue's trackers first), each measure's words starting with a capital."""
    return [
        (heading, [(value, words[:1].upper() + words[1:]) for value, words in offered])
        for heading, offered in choices_by_kind(partnership_id)
    ]


class VersionedForm(GovukErrors, forms.ModelForm):
    """Carries the version of the record the form was opened at, so that a save from a form
    opened before someone else's save is refused rather than silently overwrite it."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("version", getattr(self.instance, "version", 0))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.instance.pk and cleaned.get("version") is None and "version" not in self.errors:
            # A form that lost its version is refused like a stale one: it may be older than
            # the saved record. Shown again at the saved version, it saves on purpose.
            self.add_error(
                None,
                "This form did not say which version of the record it was opened at, so your "
                "changes are not saved yet. Check the page in another tab; saving this form "
                "again will replace what is saved with yours.",
            )
            self.take_version(self.instance.version)
        return cleaned

    def take_version(self, version: int) -> None:
        """Show the form again at `version`: saving it then replaces what is saved."""
        data = QueryDict(mutable=True)
        data.update(self.data)  # every value of every field, as posted
        data[self.add_prefix("version")] = str(version)
        self.data = data


class ReviewForm(VersionedForm):
    required_messages = {"review_type": "Select the type of review"}

    class Meta:
        model = Review
        fields = REVIEW_FIELDS
        field_classes = dict.fromkeys(fields[4:], BoundedDateField)


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
        help_text=(
            "Trackers, audit tools' grades, practitioner survey questions (the share agreeing "
            "or answering yes in the survey's latest run), Section 11 and 175 standards (the "
            "share of agencies fully meeting one), escalation figures, courses' reach or "
            "learning products' dissemination that will show whether the change has stuck."
        ),
    )

    required_messages = {
        "number": "Enter the recommendation's number",
        "text": "Enter what the review recommends",
    }

    field_order = ["number", "text", "to_partnership", "agencies", "themes", "measures"]

    class Meta:
        model = Recommendation
        fields = ["number", "text", "to_partnership", "measure_target"]

    def __init__(self, *args: Any, partnership_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        narrow(
            self,
            agencies=Agency.objects.filter(partnership_id=partnership_id),
            themes=Theme.objects.filter(partnership_id=partnership_id),
        )
        measures = self.fields["measures"]
        assert isinstance(measures, forms.MultipleChoiceField)
        measures.choices = grouped_measures(partnership_id)
        measures.grouped = True  # type: ignore[attr-defined]  # the form macro shows groups
        self.fields["measure_target"].required = False
        if self.instance.pk:
            self.initial["measures"] = self.instance.measures
            self.initial["agencies"] = list(self.instance.agencies.all())
            self.initial["themes"] = list(self.instance.themes.all())

    def clean_measure_target(self) -> int:
        """Left empty: the target stays as it was (80% for a new recommendation)."""
        target: int | None = self.cleaned_data.get("measure_target")
        return self.instance.measure_target if target is None else target

    def clean_number(self) -> int:
        """Another recommendation of the review with this number: say which number is free."""
        number: int = self.cleaned_data["number"]
        problem = duplicate_number(self.instance, number)
        if problem:
            raise forms.ValidationError(problem)
        return number


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.get_full_name() or obj.username} ({obj.agency})"


class ActionForm(VersionedForm):
    """An action's commitments. Only someone who may move actions between agencies sees the
    agency; the owner is one of the active people of the action's agency."""

    required_messages = {
        "agency": "Select the agency that will carry out the action",
        "description": "Enter what the agency will do",
    }

    class Meta:
        model = Action
        fields = ["agency", "description", "owner", "outcome_sought", "success_measure", "due_date"]
        field_classes = {"owner": PersonChoiceField, "due_date": BoundedDateField}
        labels = {"description": "What the agency will do"}
        help_texts = {
            "description": "Say what will be produced or changed, not just “review” or “consider”.",
            "owner": "The person answerable for it. Ask your system administrator to add "
            "someone who is not listed.",
            "success_measure": "How will the learning group know it worked? Name data if you can.",
        }

    def __init__(
        self, *args: Any, partnership_id: int, may_move: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        agency = self.fields["agency"]
        owner = self.fields["owner"]
        assert isinstance(agency, forms.ModelChoiceField)
        assert isinstance(owner, forms.ModelChoiceField)
        agency.queryset = Agency.objects.filter(partnership_id=partnership_id)
        if not may_move:
            del self.fields["agency"]
        people = User.objects.filter(agency__partnership_id=partnership_id).filter(
            Q(is_active=True) | Q(pk=self.instance.owner_id)  # keep a current owner who left
        )
        agency_id = self._owner_agency_id()
        if agency_id is not None:
            people = people.filter(agency_id=agency_id)
        owner.queryset = people.select_related("agency").order_by("last_name", "first_name")
        owner.empty_label = "No owner yet"
        owner.error_messages["invalid_choice"] = "Select someone who works for the action's agency"

    def _owner_agency_id(self) -> int | None:
        """The agency whose people may own the action: as chosen on the form, else as saved."""
        if "agency" in self.fields and self.is_bound:
            chosen = str(self.data.get(self.add_prefix("agency"), ""))
            if chosen.isdigit():
                return int(chosen)
        return self.instance.agency_id

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        owner = cleaned.get("owner")
        agency = cleaned.get("agency")
        agency_id = agency.pk if agency else self.instance.agency_id
        if owner and agency_id and owner.agency_id != agency_id:
            self.add_error("owner", "Select someone who works for the action's agency")
        return cleaned


def _move_field(moves: Sequence[Move], label: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=[(m.name, m.label) for m in moves],
        widget=forms.RadioSelect,
        error_messages={"required": "Select what has happened", "invalid_choice": "Select one"},
    )


class UpdateForm(GovukErrors, forms.Form):
    """An agency's update: the moves its lead may make from the action's status, and evidence."""

    required_messages = {"narrative": "Enter what has happened since the last update"}

    narrative = forms.CharField(
        label="What has happened since the last update",
        widget=forms.Textarea,
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
    evidence_note = forms.CharField(
        label="What was seen (optional)",
        required=False,
        widget=forms.Textarea,
        help_text="Evidence that is not a file or a link, for example “the new referral form "
        "in use at 3 GP practices”.",
    )
    seen_by = forms.CharField(label="Seen by", required=False, max_length=200)
    seen_on = BoundedDateField(label="Seen on", required=False)
    no_evidence_reason = forms.CharField(
        label="Why no evidence is possible (only if there is none)",
        required=False,
        widget=forms.Textarea,
        help_text="The learning group sees this when it decides whether to assure the action.",
    )

    def __init__(self, *args: Any, moves: Sequence[Move], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields = {"move": _move_field(moves, "Status"), **self.fields}
        self.fields["move"].help_text = (
            "Choose implemented only when the action is done and you have evidence, or can say "
            "why none is possible."
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

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        note, by, on = (cleaned.get(n) for n in ("evidence_note", "seen_by", "seen_on"))
        if note or by or on:
            if not (note or "").strip():
                self.add_error("evidence_note", "Say what was seen.")
            if not (by or "").strip():
                self.add_error("seen_by", "Say who saw it.")
            if on is None and "seen_on" not in self.errors:
                self.add_error("seen_on", "Enter the date it was seen.")
            elif on is not None and on > timezone.localdate():
                self.add_error("seen_on", "The date it was seen must be today or in the past.")
        return cleaned

    def notes(self) -> list[SeenNote]:
        """The note of what was seen, if one was given."""
        note = self.cleaned_data.get("evidence_note", "").strip()
        if not note:
            return []
        return [SeenNote(note, self.cleaned_data["seen_by"].strip(), self.cleaned_data["seen_on"])]


class DecisionForm(GovukErrors, forms.Form):
    """The learning group's decision: assure, embed, confirm embedded after a slip, send back."""

    evidence_examined = forms.CharField(
        label="What evidence you examined (to assure)",
        required=False,
        widget=forms.Textarea,
        help_text="For example “the training register: 28 of 30 MASH staff trained”.",
    )
    embedded_basis = forms.ChoiceField(
        label="What shows it is embedded (to mark it embedded)",
        required=False,
        choices=ActionUpdate.EmbeddedBasis.choices,
        widget=forms.RadioSelect,
    )
    measure = forms.ChoiceField(label="Linked measure", required=False)
    narrative = forms.CharField(
        label="Your comments, reasons or judgement",
        required=False,
        widget=forms.Textarea,
        help_text="Needed to send the action back or to record a judgement.",
    )

    def __init__(self, *args: Any, moves: Sequence[Move], action: Action, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields = {"move": _move_field(moves, "Decision"), **self.fields}
        field = self.fields["measure"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            ("", "The recommendation's measures"),
            *measure_choices(action.partnership_id, judged_only=True),
        ]
        measure = action.measure
        self.initial.setdefault("measure", measure)
        needs = {need for move in moves for need in move.needs}
        if Need.EVIDENCE_EXAMINED not in needs:
            del self.fields["evidence_examined"]
        if Need.MEASURE_OR_JUDGEMENT not in needs:  # only embedding asks what shows it
            del self.fields["embedded_basis"], self.fields["measure"]


class ActionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"Recommendation {obj.recommendation.number}, {obj.agency}: {obj.description[:80]}"


class ManageForm(GovukErrors, forms.Form):
    """A partnership manager withdraws an action or merges it into another of the review."""

    required_messages = {"narrative": "Enter the reason"}

    merge_into = ActionChoiceField(
        label="Merge into (to merge)",
        queryset=Action.objects.none(),
        required=False,
        empty_label="Choose an action",
    )
    narrative = forms.CharField(
        label="Reason",
        widget=forms.Textarea,
        help_text="Kept in the action's history.",
    )

    def __init__(self, *args: Any, moves: Sequence[Move], action: Action, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields = {"move": _move_field(moves, "Withdraw or merge"), **self.fields}
        field = self.fields["merge_into"]
        assert isinstance(field, ActionChoiceField)
        field.queryset = (
            Action.objects.filter(recommendation__review_id=action.recommendation.review_id)
            .exclude(pk=action.pk)
            .exclude(status__in=CLOSED)
            .select_related("agency", "recommendation")
        )


class ActionFilterForm(GovukErrors, forms.Form):
    q = forms.CharField(label="Words", required=False)
    agency = forms.ModelChoiceField(queryset=Agency.objects.none(), required=False)
    status = forms.ChoiceField(choices=[("", "Any"), *ActionStatus.choices], required=False)
    theme = forms.ModelChoiceField(queryset=Theme.objects.none(), required=False)
    review = forms.ModelChoiceField(queryset=Review.objects.none(), required=False)
    due_from = BoundedDateField(label="Due from", required=False)
    due_to = BoundedDateField(label="Due by", required=False)
    overdue = forms.BooleanField(label="Only overdue actions", required=False)

    def __init__(self, *args: Any, partnership_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, model in (("agency", Agency), ("theme", Theme), ("review", Review)):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = model.objects.filter(partnership_id=partnership_id)
            field.empty_label = "Any"


class DocumentForm(GovukErrors, forms.Form):
    document = forms.FileField(
        label="Review document or action plan",
        help_text="Text, Markdown, Word (.docx) or PDF with a text layer; or an action-plan "
        "table as CSV, Excel (.xlsx) or Word.",
    )
