"""Run the web server and the background worker side by side, restarting the worker if it dies.

The web server decides the life of the whole: when it ends, the worker is stopped and its
exit code is ours; SIGTERM or SIGINT stop both gracefully.
"""

import logging
import signal
import subprocess
import sys
import time
from types import FrameType

logger = logging.getLogger("assure.serve")

WEB = [
    sys.executable,
    "-m",
    "gunicorn",
    "-c",
    "python:assure.ops.gunicorn_conf",
    "assure.config.wsgi:application",
]
WORKER = [sys.executable, "-m", "assure.cli", "worker", "--no-startup-delay"]
POLL_SECONDS = 0.5
STOP_SECONDS = 35  # a little longer than gunicorn's graceful timeout
STEADY_SECONDS = 30  # a worker that ran this long before dying is restarted at once


class Supervisor:
    def __init__(
        self, web: list[str], worker: list[str] | None, *, first_delay: float = 1.0
    ) -> None:
        self.web_command = web
        self.worker_command = worker
        self.first_delay = first_delay
        self.delay = first_delay
        self.stopping = False
        self.worker_restarts = 0

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        logger.info("Stopping on %s", signal.Signals(signum).name)
        self.stopping = True

    def run(self) -> int:
        previous = {s: signal.signal(s, self._stop) for s in (signal.SIGTERM, signal.SIGINT)}
        web = subprocess.Popen(self.web_command)  # noqa: S603 (our own fixed commands)
        worker = self._start_worker()
        started = time.monotonic()
        try:
            while not self.stopping:
                if (code := web.poll()) is not None:
                    logger.error("The web server stopped (exit code %s)", code)
                    return code
                if worker is not None and worker.poll() is not None:
                    worker, started = self._restart(worker, started)
                time.sleep(POLL_SECONDS)
            return 0
        finally:
            for process in (web, worker):
                _stop_process(process)
            for number, handler in previous.items():
                signal.signal(number, handler)

    def _start_worker(self) -> subprocess.Popen[bytes] | None:
        if self.worker_command is None:
            return None
        return subprocess.Popen(self.worker_command)  # noqa: S603

    def _restart(
        self, worker: subprocess.Popen[bytes], started: float
    ) -> tuple[subprocess.Popen[bytes] | None, float]:
        """Start the worker again: at once after a long run, else after a growing pause."""
        ran = time.monotonic() - started
        self.delay = self.first_delay if ran >= STEADY_SECONDS else min(self.delay * 2, 60)
        logger.warning(
            "The background worker stopped (exit code %s); restarting in %.0f s",
            worker.returncode,
            self.delay,
            extra={"exit_code": worker.returncode},
        )
        deadline = time.monotonic() + self.delay
        while time.monotonic() < deadline and not self.stopping:
            time.sleep(min(POLL_SECONDS, self.delay))
        if self.stopping:
            return None, started
        self.worker_restarts += 1
        return self._start_worker(), time.monotonic()


def _stop_process(process: subprocess.Popen[bytes] | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(STOP_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
