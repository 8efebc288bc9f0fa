"""Forms for escalations, the protocol, the services register and quarterly returns."""

from datetime import date
from typing import Any

from django import forms
from django.db.models import QuerySet

from assure.accounts.models import Agency
from assure.core.forms import BoundedDateField, GovukErrors, govuk_messages, narrow
from assure.escalations.models import Category, Commission, Outcome

COMMISSION_LINES = 6


def _date(label: str, *, required: bool = True, help_text: str = "") -> BoundedDateField:
    return BoundedDateField(label=label, required=required, help_text=help_text)


class EscalationForm(GovukErrors, forms.Form):
    raised_by_agency = forms.ModelChoiceField(
        label="Agency raising it", queryset=Agency.objects.none(), empty_label="Select an agency"
    )
    raised_by_role = forms.CharField(
        label="Role of the practitioner raising it", max_length=120, required=False,
        help_text="For example: social worker, health visitor, designated safeguarding lead.",
    )  # fmt: skip
    about_agency = forms.ModelChoiceField(
        label="Agency whose decision is challenged",
        queryset=Agency.objects.none(),
        empty_label="Select an agency",
    )
    category = forms.ChoiceField(
        label="What the concern is about", choices=Category.choices, widget=forms.RadioSelect
    )
    concern = forms.CharField(
        label="The concern", widget=forms.Textarea, required=False, max_length=5000,
        help_text="What was decided and why the practitioner disagrees. Do not name the child.",
    )  # fmt: skip
    child_id = forms.CharField(
        label="Child's case-system id (optional)", max_length=64, required=False,
        help_text="Only children's services managers and child protection advisers will see it.",
    )  # fmt: skip
    raised_date = _date(
        "Date raised (stage 1 starts)", help_text="Stage 1 is due 5 working days later."
    )

    def __init__(
        self, *args: Any, raising: QuerySet[Agency], agencies: QuerySet[Agency], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        narrow(self, raised_by_agency=raising, about_agency=agencies)
        if raising.count() == 1:
            self.initial.setdefault("raised_by_agency", raising.first())


class EscalateForm(GovukErrors, forms.Form):
    started = _date("Date the next stage started")


class EndForm(GovukErrors, forms.Form):
    outcome = forms.ChoiceField(
        label="How it ended", choices=Outcome.choices, widget=forms.RadioSelect
    )
    ended = _date("Date it ended")
    learning = forms.CharField(
        label="Learning", widget=forms.Textarea, max_length=5000,
        help_text="What the agencies take from it, for the partnership's themes.",
    )  # fmt: skip


class NoteForm(GovukErrors, forms.Form):
    text = forms.CharField(label="Add a note", widget=forms.Textarea, max_length=5000)


class ProtocolForm(GovukErrors, forms.Form):
    title = forms.CharField(
        label="Title", max_length=200, initial="Professional challenge and escalation protocol"
    )
    version = forms.CharField(label="Version", max_length=40, help_text="For example: 3.1")
    link = forms.URLField(label="Link to the document", max_length=500, assume_scheme="https")
    applies_from = _date("Applies from")


class WindowForm(GovukErrors, forms.Form):
    start = _date("From", required=False)
    end = _date("To", required=False)

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", "The end date must be the same as or after the start date")
        return cleaned


class ServiceForm(GovukErrors, forms.Form):
    name = forms.CharField(label="Name of the service", max_length=200)
    provider = forms.ModelChoiceField(
        label="Provider agency", queryset=Agency.objects.none(), empty_label="Select an agency"
    )
    commissioners = forms.ModelMultipleChoiceField(
        label="Commissioned by", queryset=Agency.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    contract_start = _date("Contract starts")
    contract_end = _date("Contract ends", required=False)
    offer_link = forms.URLField(
        label="Link to the service offer", max_length=500, assume_scheme="https"
    )
    escalation_route_link = forms.URLField(
        label="Link to the escalation route in the contract", max_length=500, assume_scheme="https"
    )

    def __init__(self, *args: Any, agencies: QuerySet[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        narrow(self, provider=agencies, commissioners=agencies)


class ReturnForm(GovukErrors, forms.Form):
    """A quarter's return: referrals by referring agency, commissions by line, narrative."""

    quarter = _date(
        "Any day in the quarter", help_text="For example 2026-04-01 for April to June 2026."
    )
    escalations = forms.IntegerField(
        label="Escalations about the service this quarter", min_value=0, initial=0
    )
    narrative = forms.CharField(label="Narrative", widget=forms.Textarea, max_length=10000)

    def __init__(self, *args: Any, agencies: list[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agencies = agencies
        for agency in agencies:
            for what in ("received", "accepted"):
                self.fields[f"{what}_{agency.pk}"] = forms.IntegerField(
                    label=f"{agency.name}: referrals {what}", min_value=0, required=False
                )
        kinds = [("", "None"), *Commission.Kind.choices]
        for n in range(1, COMMISSION_LINES + 1):
            self.fields[f"kind_{n}"] = forms.ChoiceField(
                label=f"Line {n}: assessment or report", choices=kinds, required=False
            )
            self.fields[f"requested_{n}"] = _date(f"Line {n}: requested", required=False)
            self.fields[f"due_{n}"] = _date(f"Line {n}: due", required=False)
            self.fields[f"delivered_{n}"] = _date(f"Line {n}: delivered", required=False)
        govuk_messages(self, {})  # word the errors of the fields added here too

    def referral_names(self) -> list[tuple[Agency, str, str]]:
        return [(a, f"received_{a.pk}", f"accepted_{a.pk}") for a in self.agencies]

    def line_names(self) -> list[tuple[int, str, str, str, str]]:
        return [
            (n, f"kind_{n}", f"requested_{n}", f"due_{n}", f"delivered_{n}")
            for n in range(1, COMMISSION_LINES + 1)
        ]

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        for n, kind, requested, due, _ in self.line_names():
            if cleaned.get(kind):
                for name, words in ((requested, "requested"), (due, "due")):
                    if not cleaned.get(name) and name not in self.errors:
                        self.add_error(name, f"Enter the date line {n} was {words}")
        return cleaned

    def lines(self) -> list[tuple[str, date, date, date | None]]:
        data = self.cleaned_data
        return [
            (data[kind], data[requested], data[due], data.get(delivered))
            for _, kind, requested, due, delivered in self.line_names()
            if data.get(kind)
        ]


class DecisionForm(GovukErrors, forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("sign_off", "Sign the return off"), ("send_back", "Send it back with questions")],
        widget=forms.RadioSelect,
    )
    questions = forms.CharField(
        label="Questions for the provider", widget=forms.Textarea, required=False, max_length=5000,
        help_text="Needed when you send the return back.",
    )  # fmt: skip
