"""Professional challenge and escalation (domain.md section 8) and commissioned services'
quarterly returns (issue 13).

An escalation is between two agencies: the one raising it and the one whose decision is
challenged. It moves through numbered stages, each due a configured number of working days
after it starts (`core.timescales`, keys `escalation_stage_N_wd`); the due date is stored when
the stage starts, with the timescale in force that day. Its notes are for the two agencies'
leads and the partnership manager only.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

STAGES = (1, 2, 3, 4)
STAGE_WHO = {
    1: "Practitioner to practitioner",
    2: "Their managers",
    3: "Senior managers or designated safeguarding leads",
    4: "The partnership (business unit and chair)",
}


def stage_key(number: int) -> str:
    """The timescale key of a stage's time to resolve."""
    return f"escalation_stage_{number}_wd"


class Category(models.TextChoices):
    """What the challenge is about, in the protocol's categories."""

    THRESHOLD = "threshold", "Threshold for a service"
    CLOSURE = "closure", "A decision to close or step down"
    INFORMATION_SHARING = "information_sharing", "Information sharing"
    PLAN = "plan", "A plan's adequacy"
    ATTENDANCE = "attendance", "Attendance at meetings"
    OTHER = "other", "Other"


class Outcome(models.TextChoices):
    RESOLVED_AGREED = "resolved_agreed", "Resolved (agreed)"
    RESOLVED_CHANGED = "resolved_changed", "Resolved (decision changed)"
    WITHDRAWN = "withdrawn", "Withdrawn"


RESOLVED = (Outcome.RESOLVED_AGREED, Outcome.RESOLVED_CHANGED)


class Escalation(models.Model):
    """One professional challenge of another agency's decision."""

    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.PROTECT, related_name="escalations"
    )
    reference = models.CharField(
        max_length=60, help_text="The partnership's own reference, or the import's id."
    )
    raised_by_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="escalations_raised"
    )
    raised_by_role = models.CharField("Role of the person raising it", max_length=120, blank=True)
    about_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="escalations_about"
    )
    child_id = models.CharField("Child's case-system id", max_length=64, blank=True)
    category = models.CharField(max_length=30, choices=Category.choices)
    concern = models.TextField(blank=True)
    raised_date = models.DateField()
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    ended_date = models.DateField(null=True, blank=True)
    learning = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-raised_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "reference"], name="escalation_reference_unique"
            )
        ]
        indexes = [
            models.Index(fields=["partnership", "raised_date"]),
            models.Index(fields=["partnership", "ended_date"]),
        ]

    def __str__(self) -> str:
        return f"Escalation {self.reference}"

    @property
    def is_open(self) -> bool:
        return not self.outcome


class Stage(models.Model):
    """One stage of an escalation: who resolves it, when it started, its due date and end."""

    escalation = models.ForeignKey(Escalation, on_delete=models.CASCADE, related_name="stages")
    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.PROTECT, related_name="+"
    )
    number = models.PositiveSmallIntegerField()
    started = models.DateField()
    due = models.DateField()
    ended = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["escalation", "number"]
        constraints = [
            models.UniqueConstraint(fields=["escalation", "number"], name="escalation_stage_unique")
        ]
        indexes = [models.Index(fields=["partnership", "due"])]

    def __str__(self) -> str:
        return f"Stage {self.number}"

    @property
    def who(self) -> str:
        return STAGE_WHO.get(self.number, "")


class Note(models.Model):
    """A note between the two agencies' leads (and the partnership manager) on an escalation."""

    escalation = models.ForeignKey(Escalation, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Note on {self.escalation}"


class Protocol(models.Model):
    """A version of the partnership's escalation protocol: a link to the document."""

    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.PROTECT, related_name="escalation_protocols"
    )
    title = models.CharField(max_length=200)
    version = models.CharField(max_length=40)
    link = models.URLField(max_length=500)
    applies_from = models.DateField()
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-applies_from", "-id"]

    def __str__(self) -> str:
        return f"{self.title}, version {self.version}"


class CommissionedService(models.Model):
    """A specialist service the partners commission, with escalation built into its contract."""

    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.PROTECT, related_name="commissioned_services"
    )
    name = models.CharField(max_length=200)
    provider = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    commissioners = models.ManyToManyField("accounts.Agency", related_name="+")
    contract_start = models.DateField()
    contract_end = models.DateField(null=True, blank=True)
    offer_link = models.URLField("Service offer (link to the document)", max_length=500)
    escalation_route_link = models.URLField(
        "Escalation route (link to the document)", max_length=500
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="service_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class ServiceReturn(models.Model):
    """A provider's return for one quarter, signed off or sent back by the board or the
    learning group. A return sent back is corrected and submitted again."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"
        SIGNED_OFF = "signed_off", "Signed off"
        SENT_BACK = "sent_back", "Sent back with questions"

    service = models.ForeignKey(
        CommissionedService, on_delete=models.PROTECT, related_name="returns"
    )
    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.PROTECT, related_name="+"
    )
    quarter = models.DateField(help_text="The first day of the quarter.")
    escalations = models.PositiveIntegerField("Escalations about the service", default=0)
    narrative = models.TextField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    questions = models.TextField(blank=True)

    class Meta:
        ordering = ["service", "-quarter"]
        constraints = [
            models.UniqueConstraint(fields=["service", "quarter"], name="service_return_unique")
        ]

    def __str__(self) -> str:
        return f"{self.service}, quarter from {self.quarter:%-d %B %Y}"


class Referrals(models.Model):
    """Referrals a service received and accepted in a quarter from one referring agency."""

    service_return = models.ForeignKey(
        ServiceReturn, on_delete=models.CASCADE, related_name="referrals"
    )
    referrer = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    received = models.PositiveIntegerField()
    accepted = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.referrer}: {self.received} received, {self.accepted} accepted"


class Commission(models.Model):
    """An assessment or report commissioned from the service: its dates, so its timeliness is
    computed (section 3 statuses as at the quarter's end), never typed."""

    class Kind(models.TextChoices):
        ASSESSMENT = "assessment", "Assessment"
        REPORT = "report", "Report"

    service_return = models.ForeignKey(
        ServiceReturn, on_delete=models.CASCADE, related_name="commissions"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    requested = models.DateField()
    due = models.DateField()
    delivered = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.get_kind_display()} due {self.due:%-d %B %Y}"
