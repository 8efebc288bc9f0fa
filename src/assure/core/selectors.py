"""Reads for the core area."""

from datetime import datetime, time, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from assure.core.models import AuditEvent


def search_audit_events(filters: dict[str, Any]) -> QuerySet[AuditEvent]:
    """Audit events matching the filters, newest first. Dates are whole local days."""
    events = AuditEvent.objects.all()
    if filters.get("username"):
        events = events.filter(actor_username__iexact=filters["username"])
    if filters.get("record_type"):
        events = events.filter(record_type__icontains=filters["record_type"])
    if filters.get("record_id"):
        events = events.filter(record_id=filters["record_id"])
    if filters.get("action"):
        events = events.filter(action=filters["action"])
    zone = timezone.get_current_timezone()
    if filters.get("date_from"):
        events = events.filter(
            occurred_at__gte=datetime.combine(filters["date_from"], time.min, tzinfo=zone)
        )
    if filters.get("date_to"):
        day_after = filters["date_to"] + timedelta(days=1)
        events = events.filter(occurred_at__lt=datetime.combine(day_after, time.min, tzinfo=zone))
    return events
