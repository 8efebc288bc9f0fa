"""The append-only audit trail."""

from django.db import models
from django.utils import timezone

from assure.core.appendonly import AppendOnlyError, AppendOnlyModel, AppendOnlyQuerySet

# The error raised by any attempt to change the audit trail.
AuditTrailIsAppendOnly = AppendOnlyError


class AuditEvent(AppendOnlyModel):
    """Who did what to which record, when and from where.

    People and agencies are kept as ids and names, not foreign keys, so that the trail
    outlives the rows it speaks of and no cascade can ever touch it.
    """

    class Action(models.TextChoices):
        CREATE = "create", "Create"
        UPDATE = "update", "Update"
        DELETE = "delete", "Delete"
        VIEW = "view", "View"
        EXPORT = "export", "Export"
        IMPORT = "import", "Import"
        SIGN_IN = "sign-in", "Sign-in"
        SIGN_OUT = "sign-out", "Sign-out"
        FAILED_SIGN_IN = "failed-sign-in", "Failed sign-in"
        PERMISSION_DENIED = "permission-denied", "Permission denied"

    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    partnership_id = models.BigIntegerField(null=True, blank=True)
    actor_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    actor_username = models.CharField(max_length=150, blank=True)
    agency_id = models.BigIntegerField(null=True, blank=True)
    agency_name = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    record_type = models.CharField(max_length=60, blank=True)
    record_id = models.CharField(max_length=64, blank=True)
    summary = models.CharField(max_length=300, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    request_id = models.CharField(max_length=36, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        base_manager_name = "objects"
        indexes = [models.Index(fields=["record_type", "record_id"])]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_username} {self.action}"


class ChildView(AppendOnlyModel):
    """One child shown by one audited view or export: answers "who has seen this child".

    Written in bulk with the page's audit event, which holds who, when, the page, the roles
    and the team scope. The child is named by case-system person id; the snapshot by id and
    extract date, kept as values so that a purged snapshot leaves the trail whole.
    """

    event = models.ForeignKey(AuditEvent, on_delete=models.PROTECT, related_name="children")
    person_id = models.CharField(max_length=64)
    snapshot_id = models.BigIntegerField(null=True, blank=True)
    extract_date = models.DateField(null=True, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        base_manager_name = "objects"
        indexes = [models.Index(fields=["person_id"])]

    def __str__(self) -> str:
        return f"{self.person_id} in event {self.event_id}"
