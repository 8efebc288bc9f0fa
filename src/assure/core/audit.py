"""Writing the audit trail: the one place audit events are created.

Services call `record` inside their transaction, so a change and its audit event are
written together or not at all. The request's address and id come from `RequestIdMiddleware`.
"""

import getpass
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import models

from assure.core.models import AuditEvent, ChildView
from assure.core.origin import current_command_user, current_origin
from assure.core.viewer import Viewer

Action = AuditEvent.Action

# Who acts: the viewer; a person or nobody (None) only at sign-in and for system events.
Actor = Viewer | AbstractBaseUser | AnonymousUser | None

SECRET_FIELD_WORDS = ("password", "secret", "token", "key")


def _is_secret(field: str) -> bool:
    return any(word in field.lower() for word in SECRET_FIELD_WORDS)


def redact(values: dict[str, Any]) -> dict[str, Any]:
    """Drop values whose names suggest a secret; the audit trail never holds one."""
    return {k: ("[redacted]" if _is_secret(k) else v) for k, v in values.items()}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """The fields that changed, as {field: [old, new]}, secrets redacted."""
    changed = {
        field: [before.get(field), after.get(field)]
        for field in sorted(set(before) | set(after))
        if before.get(field) != after.get(field)
    }
    return {k: (["[redacted]", "[redacted]"] if _is_secret(k) else v) for k, v in changed.items()}


def record(
    actor: Actor,
    action: str,
    record: models.Model | None = None,
    *,
    record_type: str = "",
    record_id: str | int = "",
    summary: str = "",
    changes: dict[str, Any] | None = None,
    actor_username: str = "",
) -> AuditEvent:
    """Append one audit event.

    `actor` is the viewer acting; a person, or None for the system or an unknown person,
    only at sign-in and for system events. Name the record either by instance or by
    `record_type` and `record_id`. Inside `command_line()`, the operating-system user is the
    actor's name when no person is given, and is kept in `changes` as `command_line_user`
    when one is (`--as`).
    """
    origin = current_origin.get()
    run_by = current_command_user.get()
    if record is not None:
        record_type = record._meta.label_lower
        record_id = record.pk
    user = actor.user if isinstance(actor, Viewer) else actor
    if user is None or not user.is_authenticated:
        user = None
    agency = actor.agency if isinstance(actor, Viewer) else getattr(user, "agency", None)
    changes = dict(changes or {})
    if run_by and user:
        changes["command_line_user"] = run_by
    elif run_by and not actor_username:
        actor_username = f"{run_by} (command line)"
    return AuditEvent.objects.create(
        partnership_id=getattr(agency, "partnership_id", None),
        actor_id=user.pk if user else None,
        actor_username=user.get_username() if user else actor_username[:150],
        agency_id=agency.pk if agency else None,
        agency_name=agency.name if agency else "",
        action=action,
        record_type=record_type,
        record_id=str(record_id),
        summary=summary[:300],
        changes=redact(changes),
        ip_address=origin.ip_address if origin else None,
        request_id=origin.request_id if origin else "",
    )


@contextmanager
def command_line() -> Iterator[str]:
    """Attribute the audit events written inside to the operating-system user running the
    command (`getpass.getuser()`); yields that name."""
    run_by = getpass.getuser()
    token = current_command_user.set(run_by)
    try:
        yield run_by
    finally:
        current_command_user.reset(token)


def record_children(
    actor: Actor,
    action: str,
    person_ids: Iterable[str],
    snapshot: Any,
    *,
    team_scope: frozenset[str] | str | None,
    instance: models.Model | None = None,
    record_type: str = "",
    record_id: str | int = "",
    summary: str = "",
) -> AuditEvent:
    """Audit a child-level view or export with the children it showed (two inserts).

    The event keeps the viewer's roles, team scope (None: every team; a string: how the page
    is scoped instead) and snapshot; one `ChildView` a child, so "who has seen this child" is
    an indexed query. `snapshot` is an import snapshot or None (no case data yet).
    """
    shown = sorted({str(p) for p in person_ids if p})
    roles = actor.roles if isinstance(actor, Viewer) else getattr(actor, "role_set", frozenset)()
    if team_scope is None:
        scope: str | list[str] = "every team"
    elif isinstance(team_scope, str):
        scope = team_scope
    else:
        scope = sorted(team_scope)
    snapshot_id = getattr(snapshot, "pk", None)
    extract_date = getattr(snapshot, "extract_date", None)
    event = record(
        actor,
        action,
        instance,
        record_type=record_type,
        record_id=record_id,
        summary=summary,
        changes={
            "roles": sorted(roles),
            "team_scope": scope,
            "snapshot_id": snapshot_id,
            "extract_date": extract_date.isoformat() if extract_date else None,
            "children_shown": len(shown),
        },
    )
    ChildView.objects.bulk_create(
        ChildView(event=event, person_id=p[:64], snapshot_id=snapshot_id, extract_date=extract_date)
        for p in shown
    )
    return event
