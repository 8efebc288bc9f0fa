"""Temporary files of uploads and extracts: one folder under ASSURE_VAR_DIR, cleaned of strays.

A worker killed during an upload cannot delete what it wrote (extracts hold children's names),
so anything here older than ASSURE_TMP_MAX_AGE_HOURS is removed at `assure serve` start and
periodically by the background worker.
"""

import logging
import shutil
import time
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)


def temp_dir() -> Path:
    """The folder uploads and extracts are written to (made if missing, private to Assure)."""
    folder = Path(settings.FILE_UPLOAD_TEMP_DIR)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def _newest_change(path: Path) -> float:
    """When anything in `path` last changed (a folder being written to is not stale)."""
    newest = path.lstat().st_mtime
    if path.is_dir() and not path.is_symlink():
        for inner in path.rglob("*"):
            try:
                newest = max(newest, inner.lstat().st_mtime)
            except FileNotFoundError:
                continue
    return newest


def clean_stale(max_age_hours: int | None = None, *, now: float | None = None) -> list[str]:
    """Remove files and folders untouched for longer than the limit; the names removed."""
    hours = max_age_hours if max_age_hours is not None else settings.ASSURE_TMP_MAX_AGE_HOURS
    cutoff = (now if now is not None else time.time()) - hours * 3600
    removed = []
    for entry in sorted(temp_dir().iterdir()):
        try:
            if _newest_change(entry) >= cutoff:
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
        except FileNotFoundError:
            continue  # removed meanwhile by the request that made it
        removed.append(entry.name)
    if removed:
        logger.info("Removed stale temporary files", extra={"removed": len(removed)})
    return removed
