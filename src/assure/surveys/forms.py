"""Survey forms: building a survey, and the anonymous answer form built from its questions."""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from assure.core.forms import GovukErrors, govuk_messages, narrow
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
        narrow(self, before=runs)


def field_name(question: Question) -> str:
    return f"q{question.pk}"


# What an answer form is made from: each question's id, number, kind, words and options.
Shown = tuple[tuple[int, int, str, str, tuple[str, ...]], ...]


@dataclass(frozen=True)
class _Made:
    """A survey's questions and its answer form's fields, made once a process for each set
    of questions and shared by every form for them (read, never changed, after they are made)."""

    questions: list[Question]
    fields: dict[str, forms.Field]


# By what the questions show, so a question edited or added makes a new entry (never a stale
# one); a few survey runs are answered at a time, so a handful of entries are kept.
_MADE: dict[Shown, _Made] = {}
_MADE_KEPT = 100


def _make(shown: Shown) -> _Made:
    questions = [
        Question(pk=pk, number=number, kind=kind, text=text, options=list(options))
        for pk, number, kind, text, options in shown
    ]
    fields: dict[str, forms.Field] = {
        "role": forms.ChoiceField(
            label="Which best describes your role?",
            choices=PractitionerRole.choices,
            widget=forms.RadioSelect,
        )
    }
    for question in questions:
        label = f"{question.number}. {question.text}"
        if question.kind == Kind.TEXT:
            fields[field_name(question)] = forms.CharField(
                label=label,
                required=False,
                max_length=MAX_TEXT,
                widget=forms.Textarea,
                help_text=NO_NAMES,
            )
        elif question.kind == Kind.MULTIPLE:
            fields[field_name(question)] = forms.MultipleChoiceField(
                label=label,
                choices=question.choices(),
                widget=forms.CheckboxSelectMultiple,
                help_text="Select all that apply.",
            )
        else:
            fields[field_name(question)] = forms.ChoiceField(
                label=label, choices=question.choices(), widget=forms.RadioSelect
            )
    required = {"role": "Select your role"} | {
        field_name(q): f"Answer question {q.number}" for q in questions if q.kind != Kind.TEXT
    }
    holder = forms.Form()  # govuk_messages words the fields of a form: these, once
    holder.fields = fields
    govuk_messages(holder, required)
    return _Made(questions, fields)


class AnswerForm(forms.Form):
    """One practitioner's answers. Every choice question must be answered; free text may be
    left empty and carries the warning not to name anyone. `shown` is what the form is made
    from (the same for everyone answering the same questions)."""

    def __init__(self, *args: Any, survey: Survey, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.shown: Shown = tuple(
            (pk, number, kind, text, tuple(options))
            for pk, number, kind, text, options in Question.objects.filter(survey=survey)
            .order_by("number")
            .values_list("pk", "number", "kind", "text", "options")
        )
        made = _MADE.get(self.shown)
        if made is None:
            if len(_MADE) >= _MADE_KEPT:
                _MADE.clear()
            made = _MADE[self.shown] = _make(self.shown)
        self.questions = made.questions
        self.fields = dict(made.fields)

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
