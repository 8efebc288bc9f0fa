"""Reports made, kept for good (append-only), and the case-data figures they rest on.

A `Report` is never changed or deleted: a board member opens any report ever made, and its
digest still describes its file. A `ReportRequest` is someone asking for one (or the
schedule); the report made for it points back at it. `KeptFigures` are the case-data counts a
report read from a snapshot, kept so the same quarter can be made again after that
snapshot's rows have been replaced by a later import. A request the worker could not make has a
`ReportFailure`; one tried again has a newer request pointing back at it (`retry_of`). Each
try at emailing a made report's link is a `LinkEmail`.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from assure.accounts.models import Partnership
from assure.casedata.models import ImportSnapshot
from assure.core.appendonly import AppendOnlyModel, AppendOnlyQuerySet


class Format(models.TextChoices):
    PDF = "pdf", "PDF"
    HTML = "html", "Web page (HTML)"


class ReportRequest(AppendOnlyModel):
    """A report asked for: by a person from the Reports page, or by the quarterly schedule."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    period = models.CharField(max_length=7, help_text="YYYY-QN")
    format = models.CharField(max_length=4, choices=Format.choices)
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    asked_at = models.DateTimeField(default=timezone.now)
    scheduled = models.BooleanField(default=False, help_text="Made by the quarterly schedule.")
    task_id = models.CharField(max_length=64, blank=True)
    retry_of = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="retry",
        help_text="The request that failed and this one tries again.",
    )

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-asked_at", "-id"]
        base_manager_name = "objects"
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "period"],
                condition=models.Q(scheduled=True),
                name="reports_one_scheduled_run_per_quarter",
            )
        ]

    def __str__(self) -> str:
        return f"{self.period} report ({self.format}) asked {self.asked_at:%Y-%m-%d %H:%M}"


def report_path(instance: "Report", filename: str) -> str:
    return f"reports/{instance.partnership_id}/{filename}"


class Report(AppendOnlyModel):
    """One report made: its period, format, stamp, digest and file, who made it and when."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    request = models.OneToOneField(
        ReportRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="report"
    )
    period = models.CharField(max_length=7, help_text="YYYY-QN")
    format = models.CharField(max_length=4, choices=Format.choices)
    digest = models.CharField(max_length=64, help_text="SHA-256 of the report's canonical data.")
    file = models.FileField(upload_to=report_path)
    size = models.PositiveIntegerField(default=0)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    made_at = models.DateTimeField(default=timezone.now)
    snapshot = models.ForeignKey(
        ImportSnapshot, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    stamp = models.JSONField(default=dict, help_text="What the report states about itself.")

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-made_at", "-id"]
        base_manager_name = "objects"
        indexes = [models.Index(fields=["partnership", "period"], name="reports_by_period")]

    def __str__(self) -> str:
        return f"{self.period} report ({self.format}) made {self.made_at:%Y-%m-%d %H:%M}"

    @property
    def file_name(self) -> str:
        return f"assurance-report-{self.period}-{self.digest[:12]}.{self.format}"


class KeptFigures(models.Model):
    """Case-data counts one snapshot gave a report (a window's catalogue, a measure's months).

    Counts only, never a child's record; not removed by a purge, so a past quarter's report
    made again reads what the first one read."""

    snapshot = models.ForeignKey(ImportSnapshot, on_delete=models.PROTECT, related_name="+")
    key = models.CharField(max_length=200)
    figures = models.JSONField()
    kept_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "kept figures"
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "key"], name="reports_kept_once")
        ]

    def __str__(self) -> str:
        return f"{self.key} of snapshot {self.snapshot_id}"


class ReportFailure(AppendOnlyModel):
    """A report asked for that could not be made: when, why in plain words, and the error's
    kind for the administrator (the trace is in the worker's log, never shown)."""

    request = models.OneToOneField(ReportRequest, on_delete=models.PROTECT, related_name="failure")
    failed_at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(max_length=400, help_text="What went wrong, in plain words.")
    error = models.CharField(max_length=300, blank=True, help_text="The error's kind, for admins.")

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        base_manager_name = "objects"

    def __str__(self) -> str:
        return f"{self.request} failed {self.failed_at:%Y-%m-%d %H:%M}"


class LinkEmail(AppendOnlyModel):
    """One try at emailing a person the link to a made report (never the file). A failed try
    is tried again later, with a longer wait each time, until sent or given up."""

    class Outcome(models.TextChoices):
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed, to be tried again"
        GAVE_UP = "gave_up", "Failed, given up"

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="emails")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    attempt = models.PositiveSmallIntegerField()
    outcome = models.CharField(max_length=8, choices=Outcome.choices)
    error = models.CharField(max_length=300, blank=True)
    tried_at = models.DateTimeField(default=timezone.now)
    next_try_at = models.DateTimeField(null=True, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["tried_at", "id"]
        base_manager_name = "objects"
        constraints = [
            models.UniqueConstraint(
                fields=["report", "recipient", "attempt"], name="reports_one_email_try_each"
            )
        ]

    def __str__(self) -> str:
        return f"Email try {self.attempt} of report {self.report_id}: {self.outcome}"
