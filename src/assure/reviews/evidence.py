"""Checking evidence files before they are kept: size, type by name and by content."""

import hashlib
import uuid
from dataclasses import dataclass
from pathlib import PurePath

from django.core.files.uploadedfile import UploadedFile

MAX_BYTES = 10 * 1024 * 1024
ZIP = b"PK\x03\x04"
# extension: (content type, magic bytes the file must start with, or None for text)
ALLOWED: dict[str, tuple[str, bytes | None]] = {
    ".pdf": ("application/pdf", b"%PDF-"),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ZIP),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ZIP),
    ".pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", ZIP),
    ".odt": ("application/vnd.oasis.opendocument.text", ZIP),
    ".ods": ("application/vnd.oasis.opendocument.spreadsheet", ZIP),
    ".png": ("image/png", b"\x89PNG\r\n\x1a\n"),
    ".jpg": ("image/jpeg", b"\xff\xd8\xff"),
    ".jpeg": ("image/jpeg", b"\xff\xd8\xff"),
    ".csv": ("text/csv", None),
    ".txt": ("text/plain", None),
}


class EvidenceRejected(ValueError):
    """The file cannot be kept; the message says why and what is accepted."""


@dataclass(frozen=True)
class CheckedFile:
    stored_name: str
    original_name: str
    content_type: str
    size: int
    sha256: str


def check_file(upload: UploadedFile) -> CheckedFile:
    """Accept a file only if its size, extension and first bytes agree with an allowed type."""
    name = PurePath(upload.name or "file").name[:200]
    extension = PurePath(name).suffix.lower()
    if extension not in ALLOWED:
        accepted = ", ".join(sorted(ALLOWED))
        raise EvidenceRejected(f"“{name}” is not a type Assure keeps. Accepted: {accepted}.")
    size = upload.size or 0
    if size > MAX_BYTES:
        raise EvidenceRejected(f"“{name}” is {size / 1024 / 1024:.1f} MB: the limit is 10 MB.")
    if size == 0:
        raise EvidenceRejected(f"“{name}” is empty.")
    content_type, magic = ALLOWED[extension]
    upload.seek(0)
    head = upload.read(2048)
    if magic is not None and not head.startswith(magic):
        raise EvidenceRejected(f"“{name}” does not look like a {extension} file.")
    if magic is None and b"\x00" in head:
        raise EvidenceRejected(f"“{name}” is not a text file.")
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedFile(
        stored_name=f"{uuid.uuid4().hex}{extension}",
        original_name=name,
        content_type=content_type,
        size=size,
        sha256=digest.hexdigest(),
    )
