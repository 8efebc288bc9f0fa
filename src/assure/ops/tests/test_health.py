"""/healthz: healthy, and each way it fails; the logs carry the request id into audit events."""

import json
import logging
from datetime import datetime, timedelta

import pytest
import time_machine
from django.db import OperationalError, connection
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client
from django.utils import timezone

from assure.core import audit
from assure.core.models import AuditEvent
from assure.core.origin import RequestOrigin, current_origin
from assure.ops import health
from assure.ops.logs import JsonFormatter
from assure.ops.models import WorkerHeartbeat

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.get_current_timezone())


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def healthz() -> tuple[int, dict[str, str]]:
    response = Client().get("/healthz")
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    return response.status_code, json.loads(response.content)


def test_healthy(db, frozen) -> None:
    health.beat()
    assert healthz() == (200, {"database": "ok", "migrations": "ok", "worker": "ok"})


def test_no_sign_in_and_no_session(db, frozen) -> None:
    health.beat()
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert not response.cookies, "the health check neither reads nor starts a session"


def test_a_worker_never_seen_is_stale(db, frozen) -> None:
    assert healthz() == (503, {"database": "ok", "migrations": "ok", "worker": "stale"})


def test_a_worker_not_seen_for_longer_than_the_limit_is_stale(db, settings) -> None:
    settings.ASSURE_WORKER_STALE_SECONDS = 120
    with time_machine.travel(NOW, tick=False):
        health.beat()
    with time_machine.travel(NOW + timedelta(seconds=120), tick=False):
        assert healthz()[1]["worker"] == "ok"
    with time_machine.travel(NOW + timedelta(seconds=121), tick=False):
        assert healthz() == (503, {"database": "ok", "migrations": "ok", "worker": "stale"})


def test_a_pending_migration_fails(db, frozen) -> None:
    health.beat()
    MigrationRecorder(connection).record_unapplied("ops", "0001_initial")
    assert healthz() == (503, {"database": "ok", "migrations": "pending", "worker": "ok"})


def test_an_unreachable_database_fails(db, frozen, monkeypatch) -> None:
    health.beat()

    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    with monkeypatch.context() as patched:
        patched.setattr(connection, "cursor", refuse)
        status, checks = healthz()
    assert (status, checks) == (
        503,
        {"database": "unreachable", "migrations": "unknown", "worker": "unknown"},
    )


def test_heartbeat_is_one_row_per_host(db) -> None:
    with time_machine.travel(NOW, tick=False):
        health.beat()
    with time_machine.travel(NOW + timedelta(seconds=30), tick=False):
        health.beat()
    assert WorkerHeartbeat.objects.get().seen_at == NOW + timedelta(seconds=30)


def test_log_lines_are_json_with_the_request_id(caplog) -> None:
    record = logging.LogRecord(
        "assure.test", logging.WARNING, __file__, 1, "Hello %s", ("you",), None
    )
    record.status = 413
    token = current_origin.set(RequestOrigin(ip_address="127.0.0.1", request_id="req-123"))
    try:
        line = json.loads(JsonFormatter().format(record))
    finally:
        current_origin.reset(token)
    assert line["message"] == "Hello you"
    assert line["level"] == "WARNING"
    assert line["request_id"] == "req-123"
    assert line["status"] == 413


def test_access_log_and_audit_event_share_the_request_id(client, admin_user, caplog) -> None:
    client.force_login(admin_user)
    with caplog.at_level(logging.INFO, logger="assure.access"):
        response = client.get("/audit/", {"username": "nobody"})
    request_id = response["X-Request-ID"]
    access = [r for r in caplog.records if r.name == "assure.access"]
    assert access[-1].path == "/audit/"
    assert access[-1].status == 200
    assert "nobody" not in json.dumps(JsonFormatter().format(access[-1])), "no query strings"
    token = current_origin.set(RequestOrigin(ip_address=None, request_id=request_id))
    try:
        event = audit.record(admin_user, audit.Action.VIEW, admin_user)
    finally:
        current_origin.reset(token)
    assert AuditEvent.objects.get(pk=event.pk).request_id == request_id
