"""PostgreSQL, a first import: the server's work done in order on a thread of its own.

Storing a first import is mostly the server's work (parsing each COPY, adding keys and indexes
back, 3.2 s of its CPU for 100,000 children) and checking it mostly the client's (2.7 s). Done
one after the other they take as long as the two together. A `Lane` takes the statements and
COPY data for the import's connection, in the order given, and runs them on a thread while the
next batches and tables are read and checked (psycopg leaves the GIL while it waits for the
server). It is used only when nothing the client checks needs an answer from the database:
every case data table empty, so nothing stored to compare with, and the ids of new rows given
by the client (see `Writer`), so no table waits to read back another's.

While a lane is open nothing else may use the connection. `stop` must be called whatever
happens: it waits for the work queued (or, cancelled, skips it and cancels an open COPY) and
returns what failed there, if anything; `submit` raises it sooner.
"""

import queue
import threading
from collections.abc import Callable
from contextlib import ExitStack, suppress
from typing import Any

from django.db import connection

# Pieces of work queued before `run` or `write` waits: bounds the COPY text held in memory
# (65,536 rows at most a piece, under 5 MB for visits). 100,000 children make about 20 pieces.
PENDING_JOBS = 32


class NotPipelined(Exception):
    """Under the lock, a table a first import meant to fill with ids of its own had rows."""


class Stopped(Exception):
    """Why an open COPY was cancelled: the import stopped part way, and is undone."""


class CopyStream:
    """A COPY ... FROM STDIN kept open across pieces of data, on `cursor` (a psycopg cursor)
    or on a Django cursor of its own, closed with it."""

    def __init__(self, sql: str, cursor: Any = None):
        with ExitStack() as stack:  # closes a cursor of its own if the COPY cannot start
            if cursor is None:
                cursor = stack.enter_context(connection.cursor()).cursor
            self._copy = stack.enter_context(cursor.copy(sql))
            self._stack = stack.pop_all()

    def write(self, data: bytes) -> None:
        self._copy.write(data)

    def close(self, error: BaseException | None = None) -> None:
        """Finish the COPY; given an error, cancel it instead (PostgreSQL's CopyFail)."""
        if error is None:
            self._stack.close()
        else:
            self._stack.__exit__(type(error), error, None)


class Lane:
    """A thread running work on one psycopg connection, in order (see the module)."""

    def __init__(self, raw: Any):
        self._raw = raw
        self._jobs: queue.Queue[tuple[Callable[..., None], tuple[Any, ...]] | None] = queue.Queue(
            PENDING_JOBS
        )
        self.error: BaseException | None = None
        self._cancelled = False
        self._cursor: Any = None
        self._stream: CopyStream | None = None
        self._thread = threading.Thread(target=self._run, name="assure-copy", daemon=True)
        self._thread.start()

    def run(self, job: Callable[..., None], *args: Any) -> None:
        """Queue `job(cursor, *args)`, the cursor on the lane's connection."""
        self._submit(lambda: job(self._cursor, *args))

    def copy(self, sql: str) -> None:
        """Queue the start of a COPY ... FROM STDIN; `write` its data, `end_copy` it."""
        self._submit(self._open, sql)

    def write(self, data: bytes) -> None:
        self._submit(self._write, data)

    def end_copy(self) -> None:
        self._submit(self._close)

    def stop(self, cancel: bool) -> BaseException | None:
        """Wait for the work queued (cancelled: skip it, and cancel an open COPY); return what
        failed on the lane, if anything. The connection is the caller's again after."""
        self._cancelled = cancel
        self._jobs.put(None)
        self._thread.join()
        return self.error

    def _submit(self, job: Callable[..., None], *args: Any) -> None:
        if self.error is not None:
            raise self.error
        self._jobs.put((job, args))

    def _run(self) -> None:
        with self._raw.cursor() as cursor:
            self._cursor = cursor
            while (item := self._jobs.get()) is not None:
                if self.error is not None or self._cancelled:
                    continue
                job, args = item
                try:
                    job(*args)
                except BaseException as error:  # handed to the importing thread
                    self.error = error
                    self._cancel_copy(error)
            self._cancel_copy(Stopped("the import stopped part way"))

    def _open(self, sql: str) -> None:
        self._stream = CopyStream(sql, self._cursor)

    def _write(self, data: bytes) -> None:
        assert self._stream is not None
        self._stream.write(data)

    def _close(self) -> None:
        stream, self._stream = self._stream, None
        if stream is not None:
            stream.close()

    def _cancel_copy(self, error: BaseException) -> None:
        """End an open COPY with CopyFail (the server discards what it received)."""
        stream, self._stream = self._stream, None
        if stream is not None:
            # The import has failed already, and its rollback follows.
            with suppress(Exception):
                stream.close(error)
