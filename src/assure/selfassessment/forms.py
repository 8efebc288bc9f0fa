"""Forms of self-assessment: opening a round, rating, improvement actions, challenge."""

from typing import Any, ClassVar

from django import forms
from django.db.models import QuerySet

from assure.accounts.models import Agency, User
from assure.core.forms import BoundedDateField, GovukErrors, govuk_messages, narrow
from assure.selfassessment.models import Framework, Rating, Standard, StandardRating


class RoundForm(GovukErrors, forms.Form):
    required_messages: ClassVar[dict[str, str]] = {
        "name": "Enter a name for the round",
        "due_date": "Enter the date submissions are due by",
    }

    name = forms.CharField(
        label="Name of the round", max_length=120, help_text="For example, Section 11 2026-27"
    )
    framework = forms.ModelChoiceField(
        label="Framework", queryset=Framework.objects.none(), empty_label=None
    )
    agencies = forms.ModelMultipleChoiceField(
        label="Agencies that assess themselves",
        queryset=Agency.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select the agencies that assess themselves"},
    )
    due_date = BoundedDateField(label="Submissions due by")

    def __init__(
        self, *args: Any, frameworks: list[Framework], agencies: QuerySet[Agency], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        narrow(
            self,
            framework=Framework.objects.filter(pk__in=[f.pk for f in frameworks]),
            agencies=agencies,
        )


class RatingsForm(forms.Form):
    """Each standard's rating, what shows it, and a link to evidence with a note."""

    def __init__(
        self,
        *args: Any,
        standards: list[Standard],
        ratings: dict[int, StandardRating],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.standards = standards
        for s in standards:
            had = ratings.get(s.pk)
            self.fields[f"rating_{s.pk}"] = forms.ChoiceField(
                label=f"Standard {s.number}: how well is it met?",
                choices=Rating.choices,
                widget=forms.RadioSelect,
                required=False,
                initial=had.rating if had else None,
            )
            self.fields[f"commentary_{s.pk}"] = forms.CharField(
                label="What shows it",
                widget=forms.Textarea,
                required=False,
                initial=had.commentary if had else "",
            )
            self.fields[f"link_{s.pk}"] = forms.URLField(
                label="Link to evidence (optional)",
                required=False,
                max_length=500,
                help_text="Where the learning group can see it, such as a shared folder.",
                initial=had.evidence_link if had else "",
            )
            self.fields[f"note_{s.pk}"] = forms.CharField(
                label="What the evidence is (optional)",
                widget=forms.Textarea,
                required=False,
                initial=had.evidence_note if had else "",
            )
            kept = f" Kept now: {had.evidence_name}." if had and had.evidence_name else ""
            self.fields[f"file_{s.pk}"] = forms.FileField(
                label="Evidence file (optional)",
                required=False,
                help_text="PDF, Word, Excel, PowerPoint, OpenDocument, image, CSV or text, up "
                "to 10 MB. A new file replaces the one kept." + kept,
            )

        govuk_messages(self, {})
        for s in standards:
            self.fields[f"link_{s.pk}"].error_messages["invalid"] = (
                f"Enter the link to standard {s.number}'s evidence as a web address, "
                "like https://example.org/folder"
            )

    def names_of(self, standard: Standard) -> list[str]:
        return [f"{p}_{standard.pk}" for p in ("rating", "commentary", "link", "note", "file")]


class ImprovementActionForm(GovukErrors, forms.Form):
    standard = forms.ModelChoiceField(
        label="Standard it improves", queryset=Standard.objects.none(), empty_label=None
    )
    description = forms.CharField(label="What your agency will do", widget=forms.Textarea)
    owner = forms.ModelChoiceField(label="Owner", queryset=User.objects.none(), empty_label=None)
    due_date = BoundedDateField(label="Due date")

    def __init__(
        self, *args: Any, standards: list[Standard], owners: QuerySet[User], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        narrow(
            self, standard=Standard.objects.filter(pk__in=[s.pk for s in standards]), owner=owners
        )


class ChallengeForm(forms.Form):
    """Per standard: the rating the learning group agrees, and why if it differs."""

    def __init__(
        self,
        *args: Any,
        standards: list[Standard],
        ratings: dict[int, StandardRating],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.standards = standards
        for s in standards:
            had = ratings.get(s.pk)
            if had is None:
                continue
            self.fields[f"decision_{s.pk}"] = forms.ChoiceField(
                label=f"Standard {s.number}: the learning group's rating",
                choices=Rating.choices,
                widget=forms.RadioSelect,
                initial=had.challenged_rating or had.rating,
                help_text=f"The agency rated it {had.get_rating_display().lower()}.",
            )
            self.fields[f"reason_{s.pk}"] = forms.CharField(
                label="Reasons",
                widget=forms.Textarea,
                required=False,
                help_text="Needed when you change the agency's rating.",
                initial=had.challenge_reason,
            )

        govuk_messages(
            self,
            {
                f"decision_{s.pk}": f"Select the learning group's rating of standard {s.number}"
                for s in standards
            },
        )

    def names_of(self, standard: Standard) -> list[str]:
        return [f"decision_{standard.pk}", f"reason_{standard.pk}"]


class FrameworkForm(GovukErrors, forms.Form):
    required_messages: ClassVar[dict[str, str]] = {
        "title": "Enter the framework's title",
        "standards": "Enter at least one standard",
    }

    title = forms.CharField(label="Title", max_length=200)
    standards = forms.CharField(
        label="Standards",
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="One standard a line, in order: its title, a colon, then what meeting it "
        "looks like.",
    )

    def clean_standards(self) -> list[tuple[str, str]]:
        found = []
        for n, line in enumerate(self.cleaned_data["standards"].splitlines(), start=1):
            if not line.strip():
                continue
            title, _, text = line.partition(":")
            if not title.strip() or len(title.strip()) > 200:
                raise forms.ValidationError(
                    f"Line {n}: give the standard a title of up to 200 characters before the colon"
                )
            found.append((title.strip(), text.strip()))
        if not found:
            raise forms.ValidationError("Enter at least one standard")
        return found


def standards_text(framework: Framework) -> str:
    return "\n".join(
        f"{s.title}: {s.description}" if s.description else s.title
        for s in framework.standards.all()
    )
