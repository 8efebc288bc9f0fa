"""Temporary files cleaned when stale, the worker's housekeeping, and the serve supervisor."""

import os
import sys
import threading
import time
from pathlib import Path

import pytest

from assure.ops import tempfiles
from assure.ops.management.commands.worker import housekeeping
from assure.ops.models import WorkerHeartbeat
from assure.ops.supervisor import Supervisor

HOUR = 3600


@pytest.fixture
def temp(settings, tmp_path: Path) -> Path:
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "tmp")
    settings.ASSURE_TMP_MAX_AGE_HOURS = 3
    return tempfiles.temp_dir()


def aged(path: Path, hours: float, content: bytes | None = b"x") -> Path:
    """Make `path` (a file, or a folder when content is None) last changed `hours` ago."""
    if content is None:
        path.mkdir(exist_ok=True)
    else:
        path.write_bytes(content)
    when = time.time() - hours * HOUR
    os.utime(path, (when, when))
    return path


def test_stale_temporary_files_are_removed_and_fresh_ones_kept(temp: Path) -> None:
    aged(temp / "tmpabc.upload.zip", 4)
    extract = aged(temp / "assure-extract-1", 5, None)
    aged(extract / "ssd_person.csv", 5)
    aged(extract, 5, None)
    aged(temp / "tmpdef.upload.docx", 2.9)
    busy = aged(temp / "assure-upload-2", 6, None)
    aged(busy / "upload.zip", 0)
    aged(busy, 6, None)  # the folder is old, but a file in it was written just now

    removed = tempfiles.clean_stale()

    assert removed == ["assure-extract-1", "tmpabc.upload.zip"]
    assert sorted(p.name for p in temp.iterdir()) == ["assure-upload-2", "tmpdef.upload.docx"]


def test_uploads_are_written_under_the_var_folder(settings) -> None:
    assert Path(settings.FILE_UPLOAD_TEMP_DIR) == Path(settings.VAR_DIR) / "tmp"


@pytest.mark.django_db(transaction=True)
def test_worker_housekeeping_beats_and_cleans(temp: Path) -> None:
    stale = aged(temp / "tmpold.upload", 10)
    stop = threading.Event()
    stop.set()  # one round, then stop
    thread = threading.Thread(target=housekeeping, args=(stop, threading.current_thread()))
    thread.start()
    thread.join(10)

    assert WorkerHeartbeat.objects.count() == 1
    assert not stale.exists()


def python(code: str) -> list[str]:
    return [sys.executable, "-c", code]


def test_the_worker_is_restarted_when_it_dies(tmp_path: Path) -> None:
    starts = tmp_path / "starts"
    worker = python(f"open({str(starts)!r}, 'a').write('started\\n'); raise SystemExit(3)")
    web = python(
        "import pathlib, time\n"
        f"p = pathlib.Path({str(starts)!r})\n"
        "while not (p.exists() and p.read_text().count('started') >= 3): time.sleep(0.05)\n"
        "raise SystemExit(7)"
    )
    supervisor = Supervisor(web, worker, first_delay=0.05)

    code = supervisor.run()

    assert code == 7, "the web server's exit code is the supervisor's"
    assert supervisor.worker_restarts >= 2
    assert starts.read_text().count("started") >= 3
