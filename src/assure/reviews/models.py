"""Reviews, recommendations, each agency's actions and the append-only history of each action."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone

from assure.accounts.models import Agency, Partnership
from assure.core.appendonly import AppendOnlyModel, AppendOnlyQuerySet


class Theme(models.Model):
    """A recurring learning theme, from a taxonomy each partnership maintains."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="themes")
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="theme_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class EditedRecord(models.Model):
    """A record several people edit: its version refuses a form opened before someone else's
    save (services.EditConflict), and who saved that version, when, is kept on the record."""

    version = models.PositiveIntegerField(
        default=0, editable=False, help_text="Raised by each edit: a form opened before is refused."
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        help_text="Who saved the current version.",
    )
    updated_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True


class Review(EditedRecord):
    """A review the partnership tracks from notification to publication."""

    class Type(models.TextChoices):
        RAPID_REVIEW = "rapid_review", "Rapid review"
        LCSPR = "lcspr", "Local child safeguarding practice review"
        SCR = "scr", "Serious case review (legacy)"
        NATIONAL = "national", "National review"
        MULTI_AGENCY_AUDIT = "multi_agency_audit", "Multi-agency audit"
        OTHER = "other", "Other learning review"
        SELF_ASSESSMENT = "self_assessment", "Agency self-assessment (Section 11 or 175)"

    class Status(models.TextChoices):
        NOTIFIED = "notified", "Notified"
        RAPID_REVIEW = "rapid_review", "Rapid review"
        IN_PROGRESS = "in_progress", "Review in progress"
        FINAL = "final", "Final report received"
        PUBLISHED = "published", "Published"
        CLOSED = "closed", "Closed"

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="reviews")
    review_type = models.CharField("Type of review", max_length=30, choices=Type.choices)
    pseudonym = models.CharField(
        max_length=100, help_text="The name the review uses for the child, such as “Freddie”."
    )
    title = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOTIFIED)
    incident_known = models.DateField("Incident known", null=True, blank=True)
    notification_sent = models.DateField("Notification sent", null=True, blank=True)
    rapid_review_held = models.DateField("Rapid review held", null=True, blank=True)
    decision_date = models.DateField("Decision to hold a review", null=True, blank=True)
    commissioned = models.DateField(null=True, blank=True)
    reviewer_appointed = models.DateField("Reviewer appointed", null=True, blank=True)
    draft_received = models.DateField("Draft report received", null=True, blank=True)
    final_received = models.DateField("Final report received", null=True, blank=True)
    final_sent_to_panel = models.DateField("Final report sent to the Panel", null=True, blank=True)
    published = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title or f"{self.get_review_type_display()}: {self.pseudonym}"

    @property
    def has_statutory_timeline(self) -> bool:
        """Whether statute times it (notification, rapid review, final report, publication)."""
        return self.review_type in STATUTORY_TYPES


# Case reviews follow the statutory timeline; audits, other learning reviews and
# self-assessment rounds have no statutory milestones, so timelines and their counts leave
# them out.
STATUTORY_TYPES = frozenset(
    {Review.Type.RAPID_REVIEW, Review.Type.LCSPR, Review.Type.SCR, Review.Type.NATIONAL}
)


class Recommendation(EditedRecord):
    """A numbered recommendation of a review, addressed to the partnership and/or agencies."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT)
    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="recommendations")
    number = models.PositiveIntegerField()
    text = models.TextField()
    to_partnership = models.BooleanField("Addressed to the partnership", default=True)
    agencies = models.ManyToManyField(Agency, blank=True, related_name="recommendations")
    themes = models.ManyToManyField(Theme, blank=True, related_name="recommendations")
    measures = models.JSONField(
        default=list,
        blank=True,
        help_text="Ids of indicators, audit tools, survey questions or escalation figures that "
        "show whether the change stuck.",
    )
    measure_target = models.PositiveSmallIntegerField(
        "Target for its survey and escalation measures (%)",
        default=80,
        validators=[MaxValueValidator(100)],
        help_text="The share a linked survey question (practitioners agreeing) or escalation "
        "figure must reach to count as met, for example 80.",
    )

    class Meta:
        ordering = ["review", "number"]
        constraints = [
            models.UniqueConstraint(fields=["review", "number"], name="recommendation_number")
        ]

    def __str__(self) -> str:
        return f"Recommendation {self.number}"


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    IMPLEMENTED = "implemented", "Implemented"
    ASSURED = "assured", "Assured"
    EMBEDDED = "embedded", "Embedded"
    WITHDRAWN = "withdrawn", "Withdrawn"
    MERGED = "merged", "Merged into another action"


class Action(EditedRecord):
    """What one agency commits to do about a recommendation.

    Its state is its latest update: `status` and `latest_update` are kept in step with the
    append-only updates by the service layer, so lists never need to scan the history.
    """

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT)
    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.PROTECT, related_name="actions"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="actions")
    description = models.TextField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_actions",
    )
    outcome_sought = models.TextField(blank=True)
    success_measure = models.TextField(blank=True)
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    latest_update = models.ForeignKey(
        "ActionUpdate", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    owner_needs_check = models.BooleanField(
        "Check the owner",
        default=False,
        help_text="Imported from a statement that named no agency: a person should confirm it.",
    )
    measure = models.CharField(
        "Linked measure",
        max_length=80,
        blank=True,
        help_text="The indicator (later an audit tool or survey question) showing it is embedded.",
    )
    assured_at = models.DateTimeField(null=True, blank=True, editable=False)
    slipped_on = models.DateField(
        null=True,
        blank=True,
        editable=False,
        help_text="When the linked measure fell below target after the action was embedded.",
    )
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_actions"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["recommendation__number", "id"]
        indexes = [
            models.Index(fields=["partnership", "status", "due_date"]),
            models.Index(fields=["agency", "status"]),
        ]

    def __str__(self) -> str:
        return self.description[:80]


class Rag(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


class ActionUpdate(AppendOnlyModel):
    """One entry in an action's history: progress, implemented, assurance or a send-back."""

    class Kind(models.TextChoices):
        PROGRESS = "progress", "Progress update"
        IMPLEMENTED = "implemented", "Marked implemented"
        ASSURED = "assured", "Assured"
        EMBEDDED = "embedded", "Embedded"
        SENT_BACK = "sent_back", "Sent back"
        IMPORTED = "imported", "Imported from a document"
        WITHDRAWN = "withdrawn", "Withdrawn"
        MERGED = "merged", "Merged into another action"
        CONFIRMED_EMBEDDED = "confirmed_embedded", "Confirmed embedded after its measure slipped"

    class EmbeddedBasis(models.TextChoices):
        MEASURE = "measure", "Its measure stayed at or above target"
        JUDGEMENT = "judgement", "A recorded judgement (no measure fits)"

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT)
    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="updates")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PROGRESS)
    narrative = models.TextField(blank=True)
    rag = models.CharField("RAG rating", max_length=10, choices=Rag.choices, blank=True)
    status = models.CharField(max_length=20, choices=ActionStatus.choices)
    no_evidence_reason = models.TextField(
        "Why no evidence is possible", blank=True, help_text="Shown to the learning group."
    )
    evidence_examined = models.TextField(
        blank=True, help_text="What the learning group member examined before assuring."
    )
    embedded_basis = models.CharField(max_length=20, choices=EmbeddedBasis.choices, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="action_updates"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        base_manager_name = "objects"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} by {self.author}"


def evidence_path(instance: "Evidence", filename: str) -> str:
    """A server-chosen name: the person's file name is kept only as a label."""
    return f"evidence/{instance.partnership_id}/{instance.stored_name}"


class Evidence(models.Model):
    """A file, a link, or a note of what was seen (by whom, when) supporting an update."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT)
    update = models.ForeignKey(ActionUpdate, on_delete=models.PROTECT, related_name="evidence")
    link = models.URLField(max_length=500, blank=True)
    note = models.TextField("What was seen", blank=True)
    seen_by = models.CharField(max_length=200, blank=True)
    seen_on = models.DateField(null=True, blank=True)
    file = models.FileField(upload_to=evidence_path, blank=True)
    stored_name = models.CharField(max_length=64, blank=True)
    original_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return self.original_name or self.link or f"Seen by {self.seen_by}"


class ReminderSent(models.Model):
    """One reminder digest sent to one person on one day, so none is sent twice."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    sent_on = models.DateField()
    actions = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "sent_on"], name="one_reminder_a_day")
        ]

    def __str__(self) -> str:
        return f"Reminder to {self.owner} on {self.sent_on}"
