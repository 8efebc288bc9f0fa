"""Settings come from the environment, with clear errors and secure defaults."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from assure.config import env

ROOT = Path(__file__).resolve().parents[4]


def run_assure(*args: str, **extra_env: str) -> subprocess.CompletedProcess[str]:
    ours = {"DEBUG", "HTTPS", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in ours}
    clean.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "assure.cli", *args],
        capture_output=True,
        text=True,
        env={**clean, **extra_env},
        cwd=ROOT,
        check=False,
    )


def test_bad_yes_no_value_says_what_to_use(monkeypatch) -> None:
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="DEBUG='maybe' is not a yes/no value"):
        env.env_bool("DEBUG", False)


def test_bad_number(monkeypatch) -> None:
    monkeypatch.setenv("EMAIL_PORT", "twenty")
    with pytest.raises(ImproperlyConfigured, match="not a whole number"):
        env.env_int("EMAIL_PORT", 587)


def test_secret_key_from_a_file(monkeypatch, tmp_path) -> None:
    key_file = tmp_path / "key"
    key_file.write_text("from-a-file\n")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("SECRET_KEY_FILE", str(key_file))
    assert env.secret_key() == "from-a-file"
    monkeypatch.setenv("SECRET_KEY_FILE", str(tmp_path / "missing"))
    with pytest.raises(ImproperlyConfigured, match="no such file"):
        env.secret_key()


def test_missing_secret_key_is_a_clear_error() -> None:
    result = run_assure("check")
    assert result.returncode != 0
    assert "No secret key: set SECRET_KEY" in result.stderr


def test_debug_is_off_unless_set() -> None:
    result = run_assure(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.DEBUG)",
        SECRET_KEY="x" * 60,
    )
    assert result.stdout.strip().splitlines()[-1] == "False"


def test_bad_database_url_is_a_clear_error() -> None:
    result = run_assure("check", SECRET_KEY="x" * 60, DATABASE_URL="nonsense://here")
    assert result.returncode != 0
    assert "DATABASE_URL is not a database address Assure understands" in result.stderr


def test_deploy_check_passes_with_production_settings() -> None:
    result = run_assure(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY="p" + os.urandom(32).hex() + "Z!x",
        ALLOWED_HOSTS="assure.example.org",
        EMAIL_HOST="smtp.example.org",
        DEBUG="0",
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_a_new_sqlite_database_has_large_pages_and_a_write_ahead_log(tmp_path) -> None:
    result = run_assure(
        "shell",
        "-c",
        "from django.db import connection\n"
        "with connection.cursor() as c:\n"
        "    print([c.execute(f'PRAGMA {p}').fetchone()[0] for p in "
        "('page_size', 'journal_mode', 'synchronous')])",
        SECRET_KEY="x" * 60,
        DATABASE_URL=f"sqlite:///{tmp_path / 'assure.sqlite3'}",
    )
    assert result.stdout.strip().splitlines()[-1] == "[16384, 'wal', 1]", result.stderr
    assert (tmp_path / "assure.sqlite3").exists()
