"""Workforce learning: learning products and their dissemination, declared workforce, training
courses and attendance (issue 14; docs/domain.md section 9).

Attendance keeps the agency's own pseudonymous id of each attendee (`attendee_ref`), never a
name. Files (a product's file, a dissemination's proof) are checked by `reviews.evidence` and
stored under a server-chosen name.
"""

from django.conf import settings
from django.db import models

from assure.accounts.models import Agency, Partnership
from assure.reviews.models import Recommendation, Review


class WorkforceRole(models.TextChoices):
    """The front-line roles agencies declare and training reaches."""

    SOCIAL_WORKER = "social_worker", "Social workers"
    SCHOOL_NURSE = "school_nurse", "School nurses"
    HEALTH_VISITOR = "health_visitor", "Health visitors"
    MIDWIFE = "midwife", "Midwives"
    GP = "gp", "GPs"
    POLICE_CAE = "police_cae", "Police in child abuse and exploitation teams"
    DSL = "dsl", "Designated safeguarding leads"
    OTHER = "other", "Other practitioners"


def file_path(instance: "StoredFile", filename: str) -> str:
    """A server-chosen name: the person's file name is kept only as a label."""
    return f"workforce/{instance.partnership_id}/{instance.stored_name}"


class StoredFile(models.Model):
    """An uploaded file, checked by `reviews.evidence.check_file` before it is kept."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to=file_path, blank=True)
    stored_name = models.CharField(max_length=64, blank=True)
    original_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        abstract = True


class LearningProduct(StoredFile):
    """A review's learning, published as a synopsis, briefing, tutorial, podcast or package."""

    class Kind(models.TextChoices):
        SYNOPSIS = "synopsis", "Learning synopsis"
        BRIEFING = "briefing", "Seven-minute briefing"
        TUTORIAL = "tutorial", "Tutorial"
        PODCAST = "podcast", "Podcast"
        TRAINING = "training", "Training package"

    review = models.ForeignKey(
        Review, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    recommendations = models.ManyToManyField(Recommendation, blank=True, related_name="+")
    link = models.URLField(max_length=500, blank=True)
    published_on = models.DateField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-published_on", "title"]

    def __str__(self) -> str:
        return self.title


class Dissemination(StoredFile):
    """One agency's sharing of a product with its staff: when, how, how many reached."""

    class Method(models.TextChoices):
        TEAM_MEETINGS = "team_meetings", "Team meetings"
        NEWSLETTER = "newsletter", "Newsletters or bulletins"
        TRAINING = "training", "Training"
        SUPERVISION = "supervision", "Supervision"
        OTHER = "other", "Other"

    product = models.ForeignKey(
        LearningProduct, on_delete=models.PROTECT, related_name="disseminations"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    date = models.DateField()
    methods = models.JSONField(default=list)
    staff_reached = models.PositiveIntegerField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.product} in {self.agency} on {self.date:%d %b %Y}"


class WorkforceDeclaration(models.Model):
    """How many staff of a role an agency has, as at a date (the latest one counts)."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=20, choices=WorkforceRole.choices)
    headcount = models.PositiveIntegerField()
    as_of = models.DateField()
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agency__name", "role", "-as_of"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "role", "as_of"], name="workforce_one_declaration_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency}: {self.headcount} {self.get_role_display()} on {self.as_of}"


class Course(models.Model):
    """A training course; attendance files name it by its title."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200)
    recommendations = models.ManyToManyField(Recommendation, blank=True, related_name="+")
    roles = models.JSONField(
        default=list, blank=True, help_text="The roles it is for; empty: every role."
    )
    target = models.FloatField(default=0.8, help_text="Share of the workforce to reach.")

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "title"], name="workforce_course_title")
        ]

    def __str__(self) -> str:
        return self.title


class TrainingImport(models.Model):
    """One attendance file imported (all its rows or none)."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    source = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField()
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-imported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.source} ({self.rows} rows)"


class Attendance(models.Model):
    """One attendee (the agency's pseudonymous id, never a name) booked on a course session."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="attendance")
    session_date = models.DateField()
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=20, choices=WorkforceRole.choices)
    attendee_ref = models.CharField(max_length=64)
    attended = models.BooleanField()
    confidence_before = models.PositiveSmallIntegerField(null=True, blank=True)
    confidence_after = models.PositiveSmallIntegerField(null=True, blank=True)
    training_import = models.ForeignKey(
        TrainingImport, on_delete=models.PROTECT, related_name="+", db_index=False
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["course", "session_date", "agency", "attendee_ref"],
                name="workforce_one_attendance_a_session",
            )
        ]
        indexes = [models.Index(fields=["course", "session_date"], name="workforce_att_course")]

    def __str__(self) -> str:
        return f"{self.attendee_ref} at {self.course} on {self.session_date}"
