"""What operations keep in the database: when the background worker was last seen."""

from django.db import models


class WorkerHeartbeat(models.Model):
    """One row per worker name, stamped while its process runs (read by /healthz)."""

    name = models.CharField(max_length=100, unique=True)
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} seen {self.seen_at:%Y-%m-%d %H:%M:%S}"
