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

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "start", "end"], name="one_set_of_figures_per_window"
            )
        ]

    def __str__(self) -> str:
        return f"Figures {self.start} to {self.end} for snapshot {self.snapshot_id}"
