"""Forms for audit tools, programmes, audits, practice actions and moderation."""

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django import forms
from django.db.models import QuerySet

from assure.accounts.models import User
from assure.audits.models import Answer3, Grade, Question, Tool
from assure.audits.services import INDICATOR_PREFIX, Given, QuestionSpec
from assure.audits.tools import BUILT_IN
from assure.core.forms import BoundedDateField, GovukErrors, govuk_messages, narrow
from assure.reviews.models import Theme

NO_NAMES = "Do not type the child's or family members' names: use the case number."
YES_NO_PREFIX = "yes/no:"


def _people(users: Sequence[User]) -> list[tuple[int, str]]:
    """Choices naming each person, with their user name to tell two of the same name apart."""
    return [
        (u.pk, f"{u.get_full_name()} ({u.get_username()})" if u.get_full_name() else u.username)
        for u in users
    ]


def parse_questions(text: str) -> list[QuestionSpec]:
    """One question a line: "Question | guidance"; a line starting "yes/no:" is answered yes,
    partly, no or not applicable, any other is graded."""
    found = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        kind = Question.Kind.GRADED
        if line.lower().startswith(YES_NO_PREFIX):
            kind, line = Question.Kind.YES_NO, line[len(YES_NO_PREFIX) :].strip()
        question, _, guidance = line.partition("|")
        if question.strip():
            found.append(QuestionSpec(kind, question.strip()[:400], guidance.strip()))
    return found


def questions_text(questions: Iterable[Question]) -> str:
    """A version's questions in the form's own format, to start the next version from."""
    lines = []
    for q in questions:
        prefix = f"{YES_NO_PREFIX} " if q.kind == Question.Kind.YES_NO else ""
        lines.append(prefix + q.text + (f" | {q.guidance}" if q.guidance else ""))
    return "\n".join(lines)


class ToolForm(GovukErrors, forms.Form):
    name = forms.CharField(label="Name of the tool", max_length=200)
    questions = forms.CharField(
        label="Questions",
        widget=forms.Textarea,
        help_text=(
            "One question a line. Put guidance for the auditor after a | sign. Start a line "
            "with 'yes/no:' for a question answered yes, partly, no or not applicable; other "
            "questions are graded outstanding to inadequate."
        ),
    )
    required_messages = {"questions": "Enter at least one question"}

    def __init__(self, *args: Any, new_tool: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not new_tool:
            del self.fields["name"]

    def clean_questions(self) -> list[QuestionSpec]:
        found = parse_questions(self.cleaned_data["questions"])
        if not found:
            raise forms.ValidationError("Enter at least one question")
        return found


def eligibility_choices() -> list[tuple[str, str]]:
    from assure.indicators.engine import REGISTRY, load_catalogue

    load_catalogue()
    choices = [(b.slug, f"{b.eligible} ({b.slug})") for b in BUILT_IN]
    choices += [
        (f"{INDICATOR_PREFIX}{i.id}", f"Children not meeting '{i.title}' in the month")
        for i in sorted(REGISTRY.values(), key=lambda i: i.title)
    ]
    return choices


class ProgrammeForm(GovukErrors, forms.Form):
    tool = forms.ModelChoiceField(label="Audit tool", queryset=Tool.objects.none())
    eligibility = forms.ChoiceField(
        label="Which children can be sampled",
        required=False,
        help_text="Leave as the tool's own rule, or audit the exceptions behind a tracker.",
    )
    month = forms.DateField(
        label="Month audited",
        input_formats=["%Y-%m"],
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text="For example, 2026-03",
    )
    per_team = forms.IntegerField(label="Children per team", min_value=1, max_value=50)
    auditors = forms.TypedMultipleChoiceField(
        label="Auditors", coerce=int, widget=forms.CheckboxSelectMultiple
    )
    due_working_days = forms.IntegerField(
        label="Working days to finish the audits", min_value=1, max_value=60, initial=10
    )
    seed = forms.IntegerField(
        label="Seed (optional)",
        required=False,
        min_value=0,
        max_value=999_999_999,
        help_text="The same seed draws the same children from the same data. Leave blank.",
    )
    thematic = forms.BooleanField(label="A one-off thematic audit", required=False)
    title = forms.CharField(label="Title (thematic audits)", required=False, max_length=200)
    required_messages = {"auditors": "Select at least one auditor"}

    def __init__(self, *args: Any, tools: Any, auditors: Sequence[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        narrow(self, tool=tools)
        self.fields["eligibility"].choices = [("", "The tool's own rule"), *eligibility_choices()]  # type: ignore[attr-defined]
        self.fields["auditors"].choices = _people(auditors)  # type: ignore[attr-defined]
        self.fields["month"].error_messages["invalid"] = (
            "Month audited must be a year and month, for example 2026-03"
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        tool = cleaned.get("tool")
        if tool and not tool.built_in and not cleaned.get("eligibility"):
            self.add_error("eligibility", "Select which children can be sampled for this tool")
        if cleaned.get("thematic") and not cleaned.get("title", "").strip():
            self.add_error("title", "Enter a title for the thematic audit")
        return cleaned


def _radio(label: str, choices: Any, required: bool, hint: str = "") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, choices=choices, required=required, widget=forms.RadioSelect, help_text=hint
    )


class AuditForm(forms.Form):
    """One field per question (a grade or a yes/no answer, and a comment), the overall grade
    and the findings. Nothing is required to save for later; `finish` checks completeness."""

    def __init__(
        self,
        *args: Any,
        questions: Sequence[Question],
        finished: bool,
        themes: QuerySet[Theme],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for q in self.questions:
            choices = Grade.choices if q.graded else Answer3.choices
            self.fields[f"q{q.pk}"] = _radio(f"{q.order}. {q.text}", choices, False, q.guidance)
            self.fields[f"c{q.pk}"] = forms.CharField(
                label=f"Comment on question {q.order} (optional)",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=NO_NAMES,
            )
        self.fields["overall_grade"] = _radio("Overall grade", Grade.choices, False)
        self.fields["findings"] = forms.CharField(
            label="Findings", required=False, widget=forms.Textarea, help_text=NO_NAMES
        )
        self.fields["themes"] = forms.ModelMultipleChoiceField(
            label="Themes (optional)",
            queryset=themes,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            help_text="The learning themes the findings speak to: the QA dashboard counts them.",
        )
        if finished:
            self.fields["reason"] = forms.CharField(
                label="Why are you changing this finished audit?",
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text="A new version is kept beside the earlier one. " + NO_NAMES,
            )
        govuk_messages(self, {})

    def question_fields(self) -> list[tuple[Question, Any, Any]]:
        return [(q, self[f"q{q.pk}"], self[f"c{q.pk}"]) for q in self.questions]

    def given(self) -> dict[int, Given]:
        data = self.cleaned_data
        return {
            q.pk: Given(
                grade=data.get(f"q{q.pk}", "") if q.graded else "",
                answer="" if q.graded else data.get(f"q{q.pk}", ""),
                comment=data.get(f"c{q.pk}", ""),
            )
            for q in self.questions
        }


class PracticeActionForm(GovukErrors, forms.Form):
    text = forms.CharField(
        label="What must be done", widget=forms.Textarea(attrs={"rows": 3}), help_text=NO_NAMES
    )
    owner = forms.TypedChoiceField(label="Owner", coerce=int)
    due_date = BoundedDateField(label="Due date")
    required_messages = {"text": "Enter what must be done"}

    def __init__(self, *args: Any, owners: Sequence[User], today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", "Select an owner"), *_people(owners)]  # type: ignore[attr-defined]
        self.today = today

    def clean_due_date(self) -> date:
        due: date = self.cleaned_data["due_date"]
        if due < self.today:
            raise forms.ValidationError("Due date must be today or in the future")
        return due


class PracticeUpdateForm(GovukErrors, forms.Form):
    text = forms.CharField(
        label="What has happened", widget=forms.Textarea(attrs={"rows": 3}), help_text=NO_NAMES
    )
    done = forms.BooleanField(label="This practice action is done", required=False)
    required_messages = {"text": "Enter what has happened"}


class ModerationForm(forms.Form):
    """The moderator's grade for each graded question and overall, given blind."""

    def __init__(self, *args: Any, questions: Sequence[Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = [q for q in questions if q.graded]
        for q in self.questions:
            self.fields[f"q{q.pk}"] = _radio(
                f"{q.order}. {q.text}", Grade.choices, True, q.guidance
            )
        self.fields["overall_grade"] = _radio("Overall grade", Grade.choices, True)
        govuk_messages(
            self,
            {f"q{q.pk}": f"Select a grade for question {q.order}" for q in self.questions}
            | {"overall_grade": "Select an overall grade"},
        )

    def grades(self) -> dict[int, str]:
        return {q.pk: self.cleaned_data[f"q{q.pk}"] for q in self.questions}


class ConversationForm(GovukErrors, forms.Form):
    notes = forms.CharField(
        label="What the auditor and moderator discussed",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=NO_NAMES,
    )
    outcome = forms.CharField(
        label="Outcome", widget=forms.Textarea(attrs={"rows": 3}), help_text=NO_NAMES
    )
    required_messages = {"outcome": "Enter what was decided"}
