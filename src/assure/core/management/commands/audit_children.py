"""`assure audit-children PERSON_ID`: who has seen this child, when, on which page."""

import json
from typing import Any

from django.core.management.base import CommandParser
from django.utils import timezone

from assure.core import audit
from assure.core.commandline import AuditedCommand
from assure.core.models import ChildView


def sightings(person_id: str) -> list[dict[str, Any]]:
    """Every audited view or export that showed the child, oldest first (one indexed query)."""
    views = (
        ChildView.objects.filter(person_id=person_id)
        .select_related("event")
        .order_by("event__occurred_at", "event_id")
    )
    found = []
    for view in views:
        event = view.event
        found.append(
            {
                "time": timezone.localtime(event.occurred_at).isoformat(timespec="seconds"),
                "user": event.actor_username,
                "user_id": event.actor_id,
                "agency": event.agency_name,
                "roles": event.changes.get("roles", []),
                "team_scope": event.changes.get("team_scope", ""),
                "action": event.action,
                "page": event.record_type,
                "record_id": event.record_id,
                "summary": event.summary,
                "snapshot_id": view.snapshot_id,
                "extract_date": view.extract_date.isoformat() if view.extract_date else None,
                "partnership_id": event.partnership_id,
                "ip_address": event.ip_address,
            }
        )
    return found


def _scope_words(scope: Any) -> str:
    return ", ".join(scope) if isinstance(scope, list) else str(scope)


class Command(AuditedCommand):
    help = "Who has seen a child (by case-system person id): when, on which page, as whom."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("person_id", help="The child's case-system person id")
        parser.add_argument("--json", action="store_true", help="Print a JSON list")

    def handle(self, *args: Any, **options: Any) -> None:
        found = sightings(options["person_id"])
        audit.record(
            None,
            audit.Action.VIEW,
            record_type="core.childview",
            record_id=options["person_id"][:64],
            summary=f"Audit trail searched: who has seen this child ({len(found)} found)",
        )
        if options["json"]:
            self.stdout.write(json.dumps(found, ensure_ascii=False, indent=2))
            return
        if not found:
            self.stdout.write(f"No audited page or export has shown {options['person_id']}.")
            return
        self.stdout.write(f"{options['person_id']} was shown {len(found)} times:")
        for seen in found:
            snapshot = (
                f"extract of {seen['extract_date']} (snapshot {seen['snapshot_id']})"
                if seen["snapshot_id"]
                else "no snapshot"
            )
            self.stdout.write(
                f"{seen['time']}  {seen['user']} ({', '.join(seen['roles']) or 'no role'}; "
                f"teams: {_scope_words(seen['team_scope'])})  {seen['action']} "
                f"{seen['page']}{' ' + seen['record_id'] if seen['record_id'] else ''}  "
                f"{snapshot}"
            )
