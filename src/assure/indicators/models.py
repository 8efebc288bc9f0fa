"""Stored catalogue figures: computed once per extract and window, read by every page view."""

from django.db import models
from django.utils import timezone

from assure.accounts.models import Partnership
from assure.casedata.models import ImportSnapshot


class CatalogueFigures(models.Model):
    """Each indicator's counts for one snapshot and window. The data only changes on import,
    so the catalogue page reads these instead of recomputing every indicator per request."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE)
    snapshot = models.ForeignKey(ImportSnapshot, on_delete=models.CASCADE)
    start = models.DateField()
    end = models.DateField()
    figures = models.JSONField(help_text="One entry per indicator: counts, value, has_data.")
    computed_at = models.DateTimeField(default=timezone.now)
    version = models.CharField(
        max_length=16, default="", help_text="The code and timescales they were computed with."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "start", "end"], name="one_set_of_figures_per_window"
            )
        ]

    def __str__(self) -> str:
        return f"Figures {self.start} to {self.end} for snapshot {self.snapshot_id}"


class IndicatorFigures(models.Model):
    """One indicator page's figures for a snapshot and window, before any viewer's disclosure:
    the window's counts, the monthly trend, the counts by team and by worker, the children
    behind the figure by team, and its trend charts already drawn. Computed once (by the
    worker after an import, or by the first view) and read by every view of the page."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE)
    snapshot = models.ForeignKey(ImportSnapshot, on_delete=models.CASCADE)
    indicator = models.CharField(max_length=64)
    start = models.DateField()
    end = models.DateField()
    figures = models.JSONField(help_text="Counts by window, month, team and worker.")
    charts = models.JSONField(
        default=dict, help_text="Trend charts as SVG, by the digest of what each one shows."
    )
    computed_at = models.DateTimeField(default=timezone.now)
    version = models.CharField(
        max_length=16, default="", help_text="The code and timescales they were computed with."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "indicator", "start", "end"],
                name="one_indicator_page_per_window",
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.start} to {self.end} for snapshot {self.snapshot_id}"


class WeeklyFigures(models.Model):
    """The weekly tracker's rows as at a snapshot's extract date, for every team (each viewer's
    team scope is applied when read): computed once, like the columns they come from."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE)
    snapshot = models.ForeignKey(ImportSnapshot, on_delete=models.CASCADE)
    as_of = models.DateField()
    rows = models.BinaryField(help_text="Arrow IPC (zstd): child-level, like the case data.")
    indicators = models.JSONField(help_text="The weekly indicators the rows refer to, in order.")
    missing = models.JSONField(help_text="Titles of weekly indicators without data.")
    computed_at = models.DateTimeField(default=timezone.now)
    version = models.CharField(
        max_length=16, default="", help_text="The code and timescales they were computed with."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "as_of"], name="one_weekly_per_day")
        ]

    def __str__(self) -> str:
        return f"Weekly tracker as at {self.as_of} for snapshot {self.snapshot_id}"
