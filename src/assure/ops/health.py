"""What /healthz checks: the database answers, every migration is applied, the worker is alive."""

import socket
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from assure.ops.models import WorkerHeartbeat


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        return False


def migrations_ok() -> bool:
    """No migration in the code is missing from the database."""
    try:
        executor = MigrationExecutor(connection)
        return not executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError:
        return False


def worker_ok() -> bool:
    """A background worker stamped its heartbeat within ASSURE_WORKER_STALE_SECONDS."""
    since = timezone.now() - timedelta(seconds=settings.ASSURE_WORKER_STALE_SECONDS)
    try:
        return WorkerHeartbeat.objects.filter(seen_at__gte=since).exists()
    except DatabaseError:
        return False


def beat() -> None:
    """Stamp this host's worker heartbeat (one row per host, so workers on several share none)."""
    WorkerHeartbeat.objects.update_or_create(
        name=f"worker@{socket.gethostname()}"[:100], defaults={"seen_at": timezone.now()}
    )


def report() -> dict[str, str]:
    """Each check as "ok" or what is wrong; later checks are skipped when the database is down."""
    if not database_ok():
        return {"database": "unreachable", "migrations": "unknown", "worker": "unknown"}
    return {
        "database": "ok",
        "migrations": "ok" if migrations_ok() else "pending",
        "worker": "ok" if worker_ok() else "stale",
    }
