"""A zip-based file (a Word .docx, an Excel .xlsx) checked before anything reads it.

Such a file can hold far more than its size suggests: a 300 KB .docx can unpack to 300 MB of
XML, which the reader would hold in memory. The zip's directory says how much each member
unpacks to, so the whole can be refused before any member is read; the readers then stop at
the declared size, so a directory that lies gains nothing.
"""

import zipfile
from pathlib import Path

MAX_MEMBERS = 1000
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024


def zip_problem(
    path: Path,
    *,
    max_members: int = MAX_MEMBERS,
    max_uncompressed: int = MAX_UNCOMPRESSED_BYTES,
) -> str | None:
    """Why this zip-based file should not be opened, or None if it may be."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError):
        return None  # not a zip at all: the reader says what is wrong with it
    if len(members) > max_members:
        return f"it holds {len(members)} parts; expected at most {max_members}"
    total = sum(member.file_size for member in members)
    if total > max_uncompressed:
        return (
            f"it unpacks to {total / 1024 / 1024:.0f} MB; expected at most "
            f"{max_uncompressed / 1024 / 1024:.0f} MB (remove large pictures, or split it)"
        )
    return None
