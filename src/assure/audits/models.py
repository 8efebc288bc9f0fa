"""Quality assurance case audits (domain.md section 7): tools, programmes, audits, moderation.

A tool's questions live in numbered versions; a version is never edited (a change is a new
version), so an audit always shows the questions it was done with. A finished audit changes
only by a new audited version: each finished version is kept as an `AuditVersion` row.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from assure.core.appendonly import AppendOnlyModel, AppendOnlyQuerySet


class Grade(models.TextChoices):
    """Ofsted's judgement words, best first (their order is the scale of weighted kappa)."""

    OUTSTANDING = "outstanding", "Outstanding"
    GOOD = "good", "Good"
    REQUIRES_IMPROVEMENT = "requires improvement", "Requires improvement"
    INADEQUATE = "inadequate", "Inadequate"


GRADE_ORDER = [g.value for g in Grade]


class Answer3(models.TextChoices):
    """The answers to a yes/no question."""

    YES = "yes", "Yes"
    PARTLY = "partly", "Partly"
    NO = "no", "No"
    NOT_APPLICABLE = "not applicable", "Not applicable"


class Tool(models.Model):
    """An audit tool: a set of questions a manager reads a child's file against."""

    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.PROTECT, related_name="audit_tools"
    )
    slug = models.SlugField(max_length=60)
    name = models.CharField(max_length=200)
    purpose = models.TextField(blank=True)
    built_in = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "slug"], name="audit_tool_slug_unique")
        ]

    def __str__(self) -> str:
        return self.name

    def latest_version(self) -> "ToolVersion":
        return self.versions.order_by("-number").first()  # type: ignore[return-value]


class ToolVersion(models.Model):
    """One numbered, unchangeable set of a tool's questions."""

    tool = models.ForeignKey(Tool, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["tool", "number"]
        constraints = [
            models.UniqueConstraint(fields=["tool", "number"], name="audit_tool_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.tool.name}, version {self.number}"


class Question(models.Model):
    class Kind(models.TextChoices):
        GRADED = "graded", "Graded"
        YES_NO = "yes_no", "Yes, partly, no or not applicable"

    version = models.ForeignKey(ToolVersion, on_delete=models.PROTECT, related_name="questions")
    order = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=400)
    guidance = models.TextField(blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.GRADED)

    class Meta:
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "order"], name="audit_question_order_unique")
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def graded(self) -> bool:
        return self.kind == self.Kind.GRADED


class Programme(models.Model):
    """A month's (or a thematic) sample of children to audit with one tool version."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        CONFIRMED = "confirmed", "Confirmed"

    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.PROTECT, related_name="audit_programmes"
    )
    tool_version = models.ForeignKey(ToolVersion, on_delete=models.PROTECT, related_name="+")
    eligibility = models.CharField(
        max_length=60, help_text="The built-in tool slug whose eligibility rule picks children."
    )
    month = models.DateField(help_text="First day of the month audited.")
    per_team = models.PositiveSmallIntegerField()
    seed = models.PositiveIntegerField()
    due_working_days = models.PositiveSmallIntegerField(default=10)
    thematic = models.BooleanField(default=False)
    title = models.CharField(max_length=200, blank=True)
    auditors = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="audit_programmes")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    drawn = models.JSONField(
        default=dict, blank=True, help_text="The sample as drawn, shown before it is confirmed."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-month", "-id"]

    def __str__(self) -> str:
        name = self.title or self.tool_version.tool.name
        return f"{name}, {self.month:%B %Y}"


class Audit(models.Model):
    """One child's file read against a tool by one auditor."""

    class Status(models.TextChoices):
        ASSIGNED = "assigned", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        FINISHED = "finished", "Finished"

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="audits")
    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.PROTECT, related_name="+"
    )
    person_id = models.CharField("child's case system id", max_length=64)
    team = models.CharField(max_length=200)
    auditor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ASSIGNED)
    overall_grade = models.CharField(max_length=24, choices=Grade.choices, blank=True)
    findings = models.TextField(blank=True)
    themes = models.ManyToManyField(
        "reviews.Theme",
        blank=True,
        related_name="audits",
        help_text="The partnership's learning themes the findings speak to.",
    )
    version = models.PositiveIntegerField(
        default=0, help_text="How many times it has been finished: 1 once finished, 2 revised."
    )
    due_date = models.DateField()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(fields=["partnership", "status"], name="audit_partnership_status"),
            models.Index(fields=["auditor", "status"], name="audit_auditor_status"),
        ]

    def __str__(self) -> str:
        return f"Audit {self.pk}"

    @property
    def finished(self) -> bool:
        return self.status == self.Status.FINISHED


class AuditVersion(AppendOnlyModel):
    """A finished version of an audit, kept as it was: what was answered, by whom, and why a
    later version changed it."""

    audit = models.ForeignKey(Audit, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    overall_grade = models.CharField(max_length=24, choices=Grade.choices)
    findings = models.TextField(blank=True)
    answers = models.JSONField(default=list, help_text="[{question, grade, answer, comment}]")
    reason = models.TextField(blank=True, help_text="Why it was changed after finishing.")
    finished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    finished_at = models.DateTimeField(default=timezone.now)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["audit", "number"]
        base_manager_name = "objects"
        constraints = [
            models.UniqueConstraint(fields=["audit", "number"], name="audit_version_unique")
        ]


class Answer(models.Model):
    """The auditor's current answer to one question: a grade or a yes/no answer."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    grade = models.CharField(max_length=24, choices=Grade.choices, blank=True)
    answer = models.CharField(max_length=16, choices=Answer3.choices, blank=True)
    comment = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["audit", "question"], name="audit_answer_unique")
        ]

    def __str__(self) -> str:
        return self.grade or self.answer or "not answered"


class PracticeAction(models.Model):
    """Something the child's team or worker must do, found by an audit; followed up to done."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"

    audit = models.ForeignKey(Audit, on_delete=models.PROTECT, related_name="practice_actions")
    text = models.TextField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_date = models.DateField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class PracticeActionUpdate(AppendOnlyModel):
    """One follow-up note on a practice action; never changed afterwards."""

    action = models.ForeignKey(PracticeAction, on_delete=models.PROTECT, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    marks_done = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        base_manager_name = "objects"


class Moderation(models.Model):
    """A second person's blind re-grading of a finished audit, and the conversation after it
    when the two differ by more than one grade."""

    audit = models.OneToOneField(Audit, on_delete=models.PROTECT, related_name="moderation")
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    audit_version = models.PositiveIntegerField(help_text="The audit version moderated.")
    offered_at = models.DateTimeField(default=timezone.now)
    grades = models.JSONField(default=dict, blank=True, help_text="{question id: grade}")
    overall_grade = models.CharField(max_length=24, choices=Grade.choices, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    flagged = models.BooleanField(default=False)
    conversation_notes = models.TextField(blank=True)
    outcome = models.TextField(blank=True)
    conversation_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["offered_at", "id"]

    def __str__(self) -> str:
        return f"Moderation of audit {self.audit_id}"

    @property
    def finished(self) -> bool:
        return self.finished_at is not None
