"""Survey forms: building a survey, and the anonymous answer form built from its questions."""

import hashlib
import json
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from assure.core.forms import GovukErrors, govuk_messages
from assure.surveys.models import Kind, PractitionerRole, Question, Survey
from assure.surveys.templates import TEMPLATES, QuestionSpec, parse_questions

NO_NAMES = (
    "Do not name or describe any child, family member or colleague: answers are read by the "
    "partnership."
)
MAX_TEXT = 2000


class SurveyForm(GovukErrors, forms.Form):
    """A new survey: a title, an introduction and its questions, one a line."""

    title = forms.CharField(label="Title", max_length=200)
    introduction = forms.CharField(
        label="Introduction (shown at the top of the answer page)",
        widget=forms.Textarea,
        required=False,
        max_length=2000,
    )
    questions = forms.CharField(
        label="Questions",
        widget=forms.Textarea,
        max_length=20000,
        help_text="One a line, starting with its kind: likert, single, multiple, yes_no or "
        "text, then a colon. For single and multiple, give the options after the question, "
        "each after a |. For example: single: Your team? | Early help | Child protection",
    )
    template = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean_questions(self) -> list[QuestionSpec]:
        return parse_questions(self.cleaned_data["questions"])

    def clean_template(self) -> str:
        key = self.cleaned_data.get("template") or ""
        return key if key in TEMPLATES else ""


class CompareForm(GovukErrors, forms.Form):
    before: forms.ModelChoiceField = forms.ModelChoiceField(
        label="Compare with the earlier run", queryset=Survey.objects.none()
    )

    def __init__(self, *args: Any, runs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["before"].queryset = runs  # type: ignore[attr-defined]


def field_name(question: Question) -> str:
    return f"q{question.pk}"


class AnswerForm(forms.Form):
    """One practitioner's answers. Every choice question must be answered; free text may be
    left empty and carries the warning not to name anyone."""

    role = forms.ChoiceField(
        label="Which best describes your role?",
        choices=PractitionerRole.choices,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, survey: Survey, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = list(survey.questions.all())
        for question in self.questions:
            label = f"{question.number}. {question.text}"
            field: forms.Field
            if question.kind == Kind.TEXT:
                field = forms.CharField(
                    label=label,
                    required=False,
                    max_length=MAX_TEXT,
                    widget=forms.Textarea,
                    help_text=NO_NAMES,
                )
            elif question.kind == Kind.MULTIPLE:
                field = forms.MultipleChoiceField(
                    label=label,
                    choices=question.choices(),
                    widget=forms.CheckboxSelectMultiple,
                    help_text="Select all that apply.",
                )
            else:
                field = forms.ChoiceField(
                    label=label, choices=question.choices(), widget=forms.RadioSelect
                )
            self.fields[field_name(question)] = field
        govuk_messages(
            self,
            {"role": "Select your role"}
            | {
                field_name(q): f"Answer question {q.number}"
                for q in self.questions
                if q.kind != Kind.TEXT
            },
        )

    def digest(self) -> str:
        """What the blank form shows: the same for everyone answering the same questions."""
        shown = [[q.pk, q.number, q.kind, q.text, q.options] for q in self.questions]
        return hashlib.sha256(json.dumps(shown).encode()).hexdigest()

    def answers(self) -> dict[int, list[str]]:
        """Question id -> the answer values (a list: several choices give several)."""
        found = {}
        for question in self.questions:
            value = self.cleaned_data.get(field_name(question))
            if isinstance(value, list):
                found[question.pk] = [str(v) for v in value]
            else:
                found[question.pk] = [value.strip()] if value and value.strip() else []
        return found

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        if not self.questions:
            raise ValidationError("This survey has no questions")
        return cleaned
