"""Imports in separate processes against one SQLite file, as on a server.

An import can be held part way through its checking (by a progress callback waiting for a
file to appear), so that what another process does meanwhile happens at a known point.
"""

import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from assure.casedata.tests.extracts import base_tables, write_extract

NEWER, OLDER = "2025-07-01", "2025-06-01"
WAIT = 60  # seconds: a bound far above what any step takes

# Imports an extract, pausing at its first progress report until `release` exists; prints
# what came of it and exits as `assure import-cases` does (0 only when committed).
HELD_IMPORT = """
import sys, time
from datetime import date
from pathlib import Path
import django
django.setup()
from assure.casedata import services

folder, extract_date, paused, release = sys.argv[1:5]

def progress(phase, table, rows, total):
    if not Path(paused).exists():
        Path(paused).touch()
        deadline = time.monotonic() + 60
        while not Path(release).exists() and time.monotonic() < deadline:
            time.sleep(0.02)

partnership = services.partnership_named(None)
result = services.import_path(
    partnership, folder, actor=None, extract_date=date.fromisoformat(extract_date),
    progress=progress,
)
print("ok" if result.ok else "\\n".join(str(p) for p in result.problems))
sys.exit(0 if result.ok else 1)
"""


def _env(base: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        SECRET_KEY="racing-imports-test-only",
        HTTPS="0",
        ASSURE_VAR_DIR=str(base / "var"),
        DATABASE_URL=f"sqlite:///{base / 'assure.sqlite3'}",
        DJANGO_SETTINGS_MODULE="assure.config.settings",
    )
    return env


def _assure(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 (our own command)
        [sys.executable, "-m", "assure.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=WAIT * 3,
    )


@pytest.fixture(scope="module")
def migrated(tmp_path_factory) -> Path:
    """A migrated database with one partnership, copied for each test."""
    base = tmp_path_factory.mktemp("template")
    env = _env(base)
    assert _assure(env, "migrate", "-v", "0").returncode == 0
    created = _assure(
        env,
        "shell",
        "-c",
        "from assure.accounts.models import Partnership; Partnership.objects.create(name='P')",
    )
    assert created.returncode == 0, created.stderr
    return base / "assure.sqlite3"


@pytest.fixture
def env(migrated, tmp_path) -> dict[str, str]:
    (tmp_path / "assure.sqlite3").write_bytes(migrated.read_bytes())
    return _env(tmp_path)


def _extracts(tmp_path: Path) -> tuple[Path, Path]:
    """A newer extract, and an older one with a person (P9) the newer one does not have."""
    newer = write_extract(tmp_path / "newer", base_tables())
    tables = base_tables()
    tables["ssd_person"].append({"pers_person_id": "P9", "pers_dob": "2018-02-28"})
    return newer, write_extract(tmp_path / "older", tables)


class Held:
    """An import started in its own process and held at its first progress report."""

    def __init__(self, env: dict[str, str], folder: Path, extract_date: str, base: Path):
        self.paused, self.release = base / "paused", base / "release"
        self.process = subprocess.Popen(  # noqa: S603 (our own script)
            [
                sys.executable,
                "-c",
                HELD_IMPORT,
                str(folder),
                extract_date,
                str(self.paused),
                str(self.release),
            ],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + WAIT
        while not self.paused.exists():
            assert self.process.poll() is None, self.process.communicate()
            assert time.monotonic() < deadline, "the import never reached its checks"
            time.sleep(0.02)

    def finish(self) -> tuple[int, str]:
        self.release.touch()
        out, err = self.process.communicate(timeout=WAIT)
        return self.process.returncode, out + err


@pytest.fixture
def held(env, tmp_path) -> Iterator[list[Held]]:
    started: list[Held] = []
    yield started
    for import_ in started:  # never leave a process behind, whatever failed
        if import_.process.poll() is None:
            import_.process.kill()
            import_.process.wait()


def _people_and_snapshots(env: dict[str, str]) -> tuple[set[str], list[tuple[str, str]]]:
    with sqlite3.connect(env["DATABASE_URL"].removeprefix("sqlite:///")) as db:
        people = {row[0] for row in db.execute("SELECT ssd_id FROM casedata_person")}
        snapshots = db.execute(
            "SELECT extract_date, status FROM casedata_importsnapshot ORDER BY id"
        ).fetchall()
    return people, snapshots


def test_an_older_extract_checked_while_a_newer_one_commits_is_refused(env, tmp_path, held):
    newer, older = _extracts(tmp_path)
    held.append(Held(env, older, OLDER, tmp_path))
    # The newer extract is imported from start to end while the older one is being checked.
    done = _assure(env, "import-cases", str(newer), "--extract-date", NEWER)
    assert done.returncode == 0, done.stdout + done.stderr
    code, output = held[0].finish()
    assert code == 1
    assert "expected a date on or after the current extract's (2025-07-01)" in output
    people, snapshots = _people_and_snapshots(env)
    assert "P9" not in people  # nothing of the older extract is written
    assert snapshots == [(NEWER, "current")]


def test_a_newer_extract_checked_while_an_older_one_commits_replaces_it(env, tmp_path, held):
    newer, older = _extracts(tmp_path)
    held.append(Held(env, newer, NEWER, tmp_path))
    done = _assure(env, "import-cases", str(older), "--extract-date", OLDER)
    assert done.returncode == 0, done.stdout + done.stderr
    code, output = held[0].finish()
    assert code == 0, output
    people, snapshots = _people_and_snapshots(env)
    assert "P9" not in people  # the newer extract's data, whichever committed first
    assert snapshots == [(OLDER, "superseded"), (NEWER, "current")]


def test_others_can_write_while_an_import_is_checked(env, tmp_path, held):
    newer, _ = _extracts(tmp_path)
    held.append(Held(env, newer, NEWER, tmp_path))
    database = env["DATABASE_URL"].removeprefix("sqlite:///")
    # Another person's save: it must not wait for the import (it would fail after 2 s).
    with sqlite3.connect(database, timeout=2) as other:
        other.execute("UPDATE accounts_partnership SET name = 'Renamed while importing'")
    code, output = held[0].finish()
    assert code == 0, output
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT name FROM accounts_partnership").fetchone() == (
            "Renamed while importing",
        )


def test_exit_status_says_whether_the_import_was_committed(env, tmp_path):
    newer, older = _extracts(tmp_path)
    assert _assure(env, "import-cases", str(newer), "--extract-date", NEWER).returncode == 0
    refused = _assure(env, "import-cases", str(older), "--extract-date", OLDER)
    assert refused.returncode == 1
    assert "nothing was imported" in refused.stderr
    again = _assure(env, "import-cases", str(newer), "--extract-date", NEWER)
    assert again.returncode == 0
    assert "already imported" in again.stdout
