"""Backup and restore: a round trip on SQLite, and every refusal."""

import getpass
import io
import json
import tarfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from assure.accounts.models import Agency, Role, User
from assure.core import audit
from assure.core.models import AuditEvent
from assure.ops import backup

# Restores empty the database and run their own transactions, as on a real server: PostgreSQL
# cannot TRUNCATE inside the transaction an ordinary test runs in.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def uploads(settings, tmp_path: Path) -> Path:
    folder = tmp_path / "uploads"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": folder},
        },
    }
    (folder / "evidence" / "2026").mkdir(parents=True)
    (folder / "evidence" / "2026" / "plan.pdf").write_bytes(b"%PDF-1.4 synthetic evidence")
    (folder / "evidence" / "notes.txt").write_text("Synthetic note", encoding="utf-8")
    return folder


def command(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def empty_the_database() -> None:
    """What a new, migrated database holds: no rows of our own."""
    call_command("flush", "--no-input", verbosity=0)


def test_round_trip(make_user, police, uploads, tmp_path) -> None:
    admin = make_user(Role.SYSTEM_ADMINISTRATOR, username="admin1")
    audit.record(admin, audit.Action.UPDATE, police, summary="Renamed")
    before = {
        "agencies": sorted(Agency.objects.values_list("name", "aliases")),
        "people": sorted(User.objects.values_list("username", "password")),
        "audit": sorted(AuditEvent.objects.values_list("summary", "actor_username")),
    }
    archive = tmp_path / "assure-backup.tar.gz"

    said = command("backup", "--out", str(archive))

    assert "and 2 evidence files" in said
    made = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT, record_type="ops.backup")
    assert made.actor_username == f"{getpass.getuser()} (command line)"
    assert archive.stat().st_mode & 0o777 == 0o600
    with tarfile.open(archive) as opened:
        names = opened.getnames()
        member = opened.extractfile("manifest.json")
        assert member is not None
        manifest = json.load(member)
    assert names[:2] == ["manifest.json", "database.json"]
    assert "uploads/evidence/2026/plan.pdf" in names
    assert manifest["rows"]["accounts.user"] == 1
    assert manifest["rows"]["accounts.agency"] == 2
    assert manifest["files"]["uploads/evidence/notes.txt"] == backup.sha256(
        uploads / "evidence" / "notes.txt"
    )

    empty_the_database()
    for path in sorted(uploads.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()

    said = command("restore", str(archive))

    rows = sum(manifest["rows"].values())
    assert f"Restored and verified: {rows} rows in" in said
    assert "and 2 evidence files match" in said
    restored = AuditEvent.objects.get(action=AuditEvent.Action.IMPORT)
    assert restored.summary == f"Backup restored: {archive}"
    assert restored.actor_username == f"{getpass.getuser()} (command line)"
    after = {
        "agencies": sorted(Agency.objects.values_list("name", "aliases")),
        "people": sorted(User.objects.values_list("username", "password")),
        "audit": sorted(
            AuditEvent.objects.exclude(pk=restored.pk).values_list("summary", "actor_username")
        ),
    }
    assert after == before
    assert User.objects.get().role_set() == {Role.SYSTEM_ADMINISTRATOR}
    assert (
        uploads / "evidence" / "2026" / "plan.pdf"
    ).read_bytes() == b"%PDF-1.4 synthetic evidence"


def test_restore_refuses_a_database_that_is_not_empty(admin_user, uploads, tmp_path) -> None:
    archive = tmp_path / "b.tar.gz"
    command("backup", "--out", str(archive))
    users = User.objects.count()

    with pytest.raises(CommandError, match=r"The database is not empty .*accounts\.agency"):
        command("restore", str(archive))
    assert User.objects.count() == users


def test_restore_refuses_a_damaged_archive(admin_user, uploads, tmp_path) -> None:
    archive = tmp_path / "b.tar.gz"
    command("backup", "--out", str(archive))
    tampered = tmp_path / "tampered.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(tampered, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()  # type: ignore[union-attr]
            if member.name == "uploads/evidence/notes.txt":
                data = b"Changed afterwards"
                member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    empty_the_database()

    with pytest.raises(CommandError, match=r"damaged: uploads/evidence/notes\.txt does not match"):
        command("restore", str(tampered))
    assert not User.objects.exists()


def test_restore_refuses_files_that_are_not_backups(db, tmp_path) -> None:
    not_tar = tmp_path / "notes.tar.gz"
    not_tar.write_text("hello")
    with pytest.raises(CommandError, match="cannot be read as a backup archive"):
        command("restore", str(not_tar))
    with pytest.raises(CommandError, match="There is no backup file"):
        command("restore", str(tmp_path / "missing.tar.gz"))


def test_backup_never_overwrites(db, uploads, tmp_path) -> None:
    archive = tmp_path / "b.tar.gz"
    archive.write_text("yesterday's")
    with pytest.raises(CommandError, match="already exists"):
        command("backup", "--out", str(archive))
    assert archive.read_text() == "yesterday's"
