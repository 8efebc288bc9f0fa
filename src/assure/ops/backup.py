"""Backups: the database (as Django's portable JSON) and the evidence files, in one archive.

The archive is a .tar.gz of `manifest.json` (row counts of every table, SHA-256 of every
file, the migrations applied), `database.json` and `uploads/…`. The database is read in one
transaction, so the rows agree with each other; it works the same on SQLite and PostgreSQL,
and a backup of one can be restored into the other. Derived data (stored columns and figures,
rebuilt when needed), sessions, queued tasks and lockouts are left out.

A restore goes only into an empty database, then checks every count and digest.
"""

import hashlib
import json
import shutil
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from assure.ops.tempfiles import temp_dir

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE = "database.json"
UPLOADS = "uploads"
# Left out: rebuilt by migrate, short-lived, or derived from what is kept.
EXCLUDED = (
    "contenttypes",
    "auth.permission",
    "sessions",
    "axes",
    "django_tasks_db",
    "ops",
    "casedata.snapshotcolumns",
    "indicators.cataloguefigures",
    "indicators.indicatorfigures",
    "indicators.weeklyfigures",
)
CHUNK = 1 << 20


class BackupError(Exception):
    """The backup cannot be made or restored; the message says why and what to do."""


@dataclass(frozen=True)
class Manifest:
    created_at: str
    database_vendor: str
    migrations: dict[str, list[str]]
    rows: dict[str, int]
    files: dict[str, str]  # path in the archive: SHA-256

    def to_json(self) -> dict[str, Any]:
        return {"format": FORMAT, **self.__dict__}


def uploads_dir() -> Path:
    storage: Any = settings.STORAGES["default"]
    return Path(storage["OPTIONS"]["location"])


def backed_up_models() -> list[type[models.Model]]:
    """Every table the backup holds, parents before children (the order dumpdata writes)."""
    return [
        model
        for model in apps.get_models()
        if not model._meta.proxy
        and model._meta.managed
        and model._meta.app_label not in EXCLUDED
        and model._meta.label_lower not in EXCLUDED
    ]


def _row_counts() -> dict[str, int]:
    return {m._meta.label_lower: m._base_manager.count() for m in backed_up_models()}


def _applied_migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _evidence_files() -> dict[str, Path]:
    root = uploads_dir()
    if not root.is_dir():
        return {}
    return {
        f"{UPLOADS}/{path.relative_to(root).as_posix()}": path
        for path in sorted(root.rglob("*"))
        if path.is_file() and not path.is_symlink()
    }


def _dump_database(target: Path) -> tuple[dict[str, int], dict[str, list[str]]]:
    """Write the rows and count them inside one transaction, so both see the same moment.

    On PostgreSQL a transaction of our own reads one snapshot (repeatable read); inside a
    caller's transaction (a test's) that transaction's snapshot already holds."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        counts = _row_counts()
        migrations = _applied_migrations()
        call_command(
            "dumpdata",
            *[m._meta.label_lower for m in backed_up_models()],
            natural_foreign=True,
            use_base_manager=True,
            output=str(target),
            verbosity=0,
        )
    return counts, migrations


def backup(out: Path) -> Manifest:
    """Write the archive to `out` (never over an existing file); its manifest."""
    if out.exists():
        raise BackupError(f"{out} already exists: choose a new name (e.g. with today's date).")
    if not out.parent.is_dir():
        raise BackupError(f"There is no folder {out.parent} to write the backup to.")
    work = Path(tempfile.mkdtemp(prefix="assure-backup-", dir=temp_dir()))
    try:
        dump = work / DATABASE
        counts, migrations = _dump_database(dump)
        files = _evidence_files()
        manifest = Manifest(
            created_at=timezone.now().isoformat(timespec="seconds"),
            database_vendor=connection.vendor,
            migrations=migrations,
            rows=counts,
            files={DATABASE: sha256(dump)} | {name: sha256(p) for name, p in files.items()},
        )
        (work / MANIFEST).write_text(json.dumps(manifest.to_json(), indent=1), encoding="utf-8")
        partial = out.with_name(f".{out.name}.partial")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(work / MANIFEST, MANIFEST)
            archive.add(dump, DATABASE)
            for name, path in files.items():
                archive.add(path, name)
        partial.chmod(0o600)
        partial.replace(out)
        return manifest
    finally:
        shutil.rmtree(work, ignore_errors=True)


# Restore ---------------------------------------------------------------------------------


def read_manifest(archive: tarfile.TarFile, name: str) -> Manifest:
    try:
        member = archive.extractfile(MANIFEST)
        data = json.load(member) if member else None
    except (KeyError, json.JSONDecodeError):
        data = None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BackupError(f"{name} is not an Assure backup (no readable {MANIFEST}).")
    data.pop("format")
    return Manifest(**data)


def _unpack(path: Path, work: Path) -> Manifest:
    """Extract the archive safely and check every file against the manifest."""
    try:
        with tarfile.open(path, "r:gz") as archive:
            manifest = read_manifest(archive, path.name)
            archive.extractall(work, filter="data")
    except (tarfile.TarError, OSError, EOFError) as error:
        raise BackupError(f"{path.name} cannot be read as a backup archive ({error}).") from None
    for name, digest in manifest.files.items():
        if PurePosixPath(name).is_absolute() or ".." in PurePosixPath(name).parts:
            raise BackupError(f"{path.name} names an unsafe path: {name!r}.")
        unpacked = work / name
        if not unpacked.is_file() or sha256(unpacked) != digest:
            raise BackupError(f"{path.name} is damaged: {name} does not match its digest.")
    return manifest


def _check_target(manifest: Manifest) -> None:
    """Refuse anything but an empty database at no newer migrations than the backup knows."""
    applied = _applied_migrations()
    unknown = {
        f"{app}.{name}"
        for app, names in manifest.migrations.items()
        for name in names
        if name not in applied.get(app, [])
    }
    if unknown:
        raise BackupError(
            "The backup was made by a newer Assure (migrations "
            f"{', '.join(sorted(unknown)[:5])} are unknown here): restore with that version."
        )
    counts = _row_counts()
    busy = sorted(label for label in manifest.rows if counts.get(label))
    if busy:
        raise BackupError(
            "The database is not empty (it has rows in "
            f"{', '.join(busy[:5])}{'…' if len(busy) > 5 else ''}): restore only into a new, "
            "empty database."
        )
    existing = [
        name
        for name in manifest.files
        if name.startswith(f"{UPLOADS}/")
        and (uploads_dir() / name.removeprefix(f"{UPLOADS}/")).exists()
    ]
    if existing:
        raise BackupError(
            f"The uploads folder {uploads_dir()} already holds {existing[0]}: restore into an "
            "empty folder."
        )


@dataclass(frozen=True)
class Verification:
    tables: int
    rows: int
    files: int


def restore(path: Path) -> Verification:
    """Restore an archive into an empty database and uploads folder, then verify both."""
    if not path.is_file():
        raise BackupError(f"There is no backup file at {path}.")
    work = Path(tempfile.mkdtemp(prefix="assure-restore-", dir=temp_dir()))
    try:
        manifest = _unpack(path, work)
        call_command("migrate", verbosity=0, interactive=False)
        _check_target(manifest)
        with transaction.atomic():  # rows that do not match are not kept
            call_command("loaddata", str(work / DATABASE), verbosity=0)
            _raise_if_any(_row_problems(manifest))
        for name in _evidence(manifest):
            target = uploads_dir() / name.removeprefix(f"{UPLOADS}/")
            target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            shutil.copyfile(work / name, target)
            target.chmod(0o600)
        return verify(manifest)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _evidence(manifest: Manifest) -> dict[str, str]:
    return {n: d for n, d in manifest.files.items() if n.startswith(f"{UPLOADS}/")}


def _row_problems(manifest: Manifest) -> list[str]:
    counts = _row_counts()
    return [
        f"{label}: {counts.get(label, 0)} rows, the backup has {expected}"
        for label, expected in manifest.rows.items()
        if counts.get(label, 0) != expected
    ]


def _file_problems(manifest: Manifest) -> list[str]:
    problems = []
    for name, digest in _evidence(manifest).items():
        restored = uploads_dir() / name.removeprefix(f"{UPLOADS}/")
        if not restored.is_file() or sha256(restored) != digest:
            problems.append(f"{name}: missing or different from the backup")
    return problems


def _raise_if_any(problems: list[str]) -> None:
    if problems:
        raise BackupError("The restore does not match the backup:\n  " + "\n  ".join(problems))


def verify(manifest: Manifest) -> Verification:
    """Compare the database's row counts and the files' digests with the manifest."""
    _raise_if_any(_row_problems(manifest) + _file_problems(manifest))
    return Verification(
        tables=len(manifest.rows),
        rows=sum(manifest.rows.values()),
        files=len(_evidence(manifest)),
    )
