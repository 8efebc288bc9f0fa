"""`assure worker`: django-tasks-db's `db_worker`, plus a heartbeat, temporary-file clean-up
and the quarterly reports.

The heartbeat (read by /healthz) is stamped at start and every HEARTBEAT_SECONDS by a small
thread, for as long as the worker's main thread is alive; the same thread removes stale
temporary files of uploads every CLEAN_SECONDS, and every SCHEDULE_SECONDS asks for each
partnership's report of the quarter just ended if nobody has yet (made as a task, then the
learning group and board are emailed a link).
"""

import logging
import threading
import time
from typing import Any

from django.db import DatabaseError, connection
from django.utils import timezone
from django_tasks_db.management.commands import db_worker

from assure.ops import health, tempfiles
from assure.reports.services import schedule_quarterly

HEARTBEAT_SECONDS = 30
CLEAN_SECONDS = 15 * 60
SCHEDULE_SECONDS = 60 * 60

logger = logging.getLogger(__name__)


def housekeeping(stop: threading.Event, main: threading.Thread) -> None:
    """Beat and clean until told to stop or the worker's main thread ends."""
    last_clean = last_schedule = -float("inf")
    while main.is_alive():
        try:
            health.beat()
            if time.monotonic() - last_clean >= CLEAN_SECONDS:
                tempfiles.clean_stale()
                last_clean = time.monotonic()
            if time.monotonic() - last_schedule >= SCHEDULE_SECONDS:
                schedule_quarterly(timezone.localdate())
                last_schedule = time.monotonic()
        except (DatabaseError, OSError):
            logger.exception("Worker housekeeping failed; trying again shortly")
        finally:
            connection.close()  # this thread's own connection; not held between beats
        if stop.wait(HEARTBEAT_SECONDS):
            return


class Command(db_worker.Command):
    help = "Run the background worker (db_worker), stamping a heartbeat for /healthz."

    def handle(self, *args: Any, **options: Any) -> None:
        stop = threading.Event()
        thread = threading.Thread(
            target=housekeeping,
            args=(stop, threading.current_thread()),
            name="assure-housekeeping",
            daemon=True,
        )
        thread.start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
