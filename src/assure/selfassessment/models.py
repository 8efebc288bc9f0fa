"""Frameworks of standards (versioned), rounds, each agency's submission and its ratings."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from assure.accounts.models import Agency, Partnership
from assure.core.appendonly import AppendOnlyModel, AppendOnlyQuerySet
from assure.reviews.models import Review


class Rating(models.TextChoices):
    """How well an agency meets a standard; shown as a tag that always carries its word."""

    FULLY_MET = "fully_met", "Fully met"
    PARTLY_MET = "partly_met", "Partly met"
    NOT_MET = "not_met", "Not met"


class Framework(models.Model):
    """One version of a partnership's framework of standards. An edit makes a new version;
    rounds keep the version they were opened with."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="self_assessment_frameworks"
    )
    key = models.SlugField(max_length=60, help_text="Names the framework across its versions.")
    title = models.CharField(max_length=200)
    version = models.PositiveIntegerField(default=1)
    based_on = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "key", "version"], name="framework_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} (version {self.version})"


class Standard(models.Model):
    """One numbered standard of a framework version."""

    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="standards")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["framework", "number"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="standard_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Round(models.Model):
    """A round of self-assessment (e.g. "Section 11 2026-27"). Its improvement actions hang
    off its own review (of type self-assessment), one recommendation per standard."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="self_assessment_rounds"
    )
    name = models.CharField(max_length=120)
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="rounds")
    due_date = models.DateField()
    review = models.OneToOneField(Review, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name


class Submission(models.Model):
    """One agency's self-assessment in a round: rated, then submitted, then challenged."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="submissions")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    challenged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["round", "agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["round", "agency"], name="one_submission_per_agency")
        ]

    def __str__(self) -> str:
        return f"{self.agency}: {self.round}"


def evidence_path(instance: "StandardRating", filename: str) -> str:
    """A server-chosen name: the person's file name is kept only as a label."""
    return f"self-assessment/{instance.submission.round.partnership_id}/{filename}"


class StandardRating(models.Model):
    """An agency's own rating of one standard and, after challenge, the learning group's.
    Both are kept: the challenge never overwrites the self-rating."""

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="ratings")
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="+")
    rating = models.CharField(max_length=20, choices=Rating.choices)
    commentary = models.TextField("What shows it", blank=True)
    evidence_link = models.URLField("Link to evidence", max_length=500, blank=True)
    evidence_note = models.TextField("What the evidence is", blank=True)
    evidence_file = models.FileField(upload_to=evidence_path, blank=True)
    evidence_name = models.CharField(max_length=200, blank=True)
    evidence_type = models.CharField(max_length=100, blank=True)
    challenged_rating = models.CharField(max_length=20, choices=Rating.choices, blank=True)
    challenge_reason = models.TextField(blank=True)
    challenged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    challenged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["submission", "standard__number"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "standard"], name="one_rating_each")
        ]

    def __str__(self) -> str:
        return f"{self.submission}: standard {self.standard.number}"

    @property
    def disagreed(self) -> bool:
        return bool(self.challenged_rating) and self.challenged_rating != self.rating


class ChallengeDecision(AppendOnlyModel):
    """Each decision of the learning group on a rating, kept: a later challenge adds one, so
    what had been decided by any day reads the same later (the quarterly report)."""

    rating = models.ForeignKey(StandardRating, on_delete=models.PROTECT, related_name="decisions")
    decided = models.CharField(max_length=20, choices=Rating.choices)
    reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField()

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["rating", "decided_at", "id"]

    def __str__(self) -> str:
        return f"{self.rating}: {self.get_decided_display()}"
