"""Case data services: importing from a folder, a .zip or an upload, and purging old records."""

import shutil
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath
from typing import IO

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone

from assure.accounts.models import Partnership
from assure.casedata import columnar
from assure.casedata import models as casedata
from assure.casedata.contract import BY_NAME, table_name
from assure.casedata.importer.reading import sources_from_folder
from assure.casedata.importer.run import ImportResult, import_tables
from assure.casedata.importer.validation import Progress
from assure.casedata.signals import case_data_changed
from assure.core import audit
from assure.core.viewer import Viewer

MAX_UPLOAD_BYTES = 200 * 1024 * 1024
MAX_MEMBERS = 200
MAX_RATIO = 200  # a CSV compresses perhaps 10 times; far more suggests a zip bomb
COPY_CHUNK = 1 << 20
MAX_NAME = 100  # bytes in a member's file name (the contract's are under 40; disks allow 255)


class ExtractError(Exception):
    """The file given is not an extract Assure can open."""


def max_uncompressed_bytes() -> int:
    return int(getattr(settings, "ASSURE_CASE_IMPORT_MAX_UNCOMPRESSED_BYTES", 4 * 1024**3))


def retention_setting() -> object:
    """ASSURE_CASE_RETENTION_YEARS as configured (checked by `purge-cases`)."""
    return getattr(settings, "ASSURE_CASE_RETENTION_YEARS", 7)


def partnership_named(name: str | None = None) -> Partnership:
    """The partnership with this name, or the only one when no name is given."""
    if name:
        try:
            return Partnership.objects.get(name=name)
        except Partnership.DoesNotExist:
            raise ExtractError(f"There is no partnership named {name!r}.") from None
    partnerships = list(Partnership.objects.all()[:2])
    if len(partnerships) != 1:
        raise ExtractError(
            "There is no partnership yet: create one first."
            if not partnerships
            else "There is more than one partnership: say which with --partnership."
        )
    return partnerships[0]


def _member_name(info: zipfile.ZipInfo) -> str | None:
    """The file name to extract a member as, None to skip it; ExtractError if it is unsafe."""
    name = info.filename.replace("\\", "/")
    path = PurePosixPath(name)
    if name.startswith("/") or ".." in path.parts or (path.parts and ":" in path.parts[0]):
        raise ExtractError(f"The zip file has a member with an unsafe name: {info.filename!r}.")
    if info.is_dir() or not path.name or path.name.startswith(".") or "__MACOSX" in path.parts:
        return None
    if len(path.name.encode()) > MAX_NAME:
        raise ExtractError(
            f"The zip file has a member whose name is longer than {MAX_NAME} bytes: "
            f"{path.name[:40]!r}…"
        )
    return path.name


def extract_zip(archive: str | Path | IO[bytes], folder: Path) -> dict[str, Path]:
    """Unpack a zip of CSV files into `folder`, guarding against zip bombs and unsafe names.

    Every member is checked from the zip's central directory (names, count, declared sizes,
    encryption) before any is written, and only the contract's tables are written: other
    members are named in the result (so they are reported as unknown files) but never
    unpacked. Members in sub-folders are taken by their file name. Sizes are checked again as
    the bytes are written, since a zip file's declared sizes can lie.
    """
    try:
        with zipfile.ZipFile(archive) as zipped:
            members = zipped.infolist()
            if len(members) > MAX_MEMBERS:
                raise ExtractError(f"The zip file has more than {MAX_MEMBERS} files.")
            limit = max_uncompressed_bytes()
            if sum(m.file_size for m in members) > limit:
                raise ExtractError("The zip file is too large once uncompressed.")
            wanted: list[tuple[zipfile.ZipInfo, str]] = []
            unknown: list[str] = []
            names: set[str] = set()
            for info in members:
                name = _member_name(info)
                if name is None:
                    continue
                if info.flag_bits & 0x1:
                    raise ExtractError("The zip file is encrypted: send it without a password.")
                if name.lower() in names:
                    raise ExtractError(f"The zip file has two files named {name}.")
                names.add(name.lower())
                if info.compress_size and info.file_size / info.compress_size > MAX_RATIO:
                    raise ExtractError(f"{name} in the zip file is compressed suspiciously well.")
                if table_name(name) in BY_NAME:
                    wanted.append((info, name))
                else:
                    unknown.append(name)
            written = 0
            for info, name in wanted:
                with zipped.open(info) as source, open(folder / name, "wb") as target:
                    member_bytes = 0
                    while chunk := source.read(COPY_CHUNK):
                        member_bytes += len(chunk)
                        written += len(chunk)
                        if member_bytes > info.file_size or written > limit:
                            raise ExtractError("The zip file is larger than it says it is.")
                        target.write(chunk)
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        EOFError,
        NotImplementedError,
        zlib.error,  # damaged compressed bytes
        UnicodeDecodeError,  # member names marked UTF-8 that are not
    ) as error:
        raise ExtractError(f"The file is not a zip file Assure can open ({error}).") from None
    # Unknown members are named, not written: the import reports them without reading them.
    return {**sources_from_folder(folder), **{name: folder / name for name in unknown}}


@contextmanager
def _unpacked(path: Path) -> Iterator[dict[str, Path]]:
    if path.is_dir():
        yield sources_from_folder(path)
        return
    if not path.is_file():
        raise ExtractError(f"There is no folder or file at {path}.")
    if not zipfile.is_zipfile(path):
        raise ExtractError(f"{path.name} is neither a folder of CSV files nor a .zip of them.")
    folder = Path(tempfile.mkdtemp(prefix="assure-extract-", dir=settings.FILE_UPLOAD_TEMP_DIR))
    try:
        yield extract_zip(path, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def import_path(
    partnership: Partnership,
    path: str | Path,
    *,
    actor: Viewer | None,
    extract_date: date | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Import a folder of CSV files or a .zip of them."""
    path = Path(path)
    with _unpacked(path) as sources:
        return import_tables(
            partnership,
            sources,
            actor=actor,
            extract_date=extract_date,
            progress=progress,
            source_label=path.name,
        )


def import_upload(
    partnership: Partnership,
    upload: UploadedFile,
    *,
    actor: Viewer | None,
    extract_date: date | None = None,
) -> ImportResult:
    """Import an uploaded .zip of CSV files."""
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise ExtractError("The file must be smaller than 200 MB.")
    folder = Path(tempfile.mkdtemp(prefix="assure-upload-", dir=settings.FILE_UPLOAD_TEMP_DIR))
    try:
        archive = folder / "upload.zip"
        with open(archive, "wb") as target:
            for chunk in upload.chunks():
                target.write(chunk)
        if not zipfile.is_zipfile(archive):
            raise ExtractError("The file must be a .zip of the extract's CSV files.")
        unpacked = folder / "extract"
        unpacked.mkdir()
        sources = extract_zip(archive, unpacked)
        return import_tables(
            partnership,
            sources,
            actor=actor,
            extract_date=extract_date,
            source_label=upload.name or "upload.zip",
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def snapshot_history(partnership: Partnership, limit: int = 10) -> list[casedata.ImportSnapshot]:
    return list(casedata.ImportSnapshot.objects.filter(partnership=partnership)[:limit])


# Retention -------------------------------------------------------------------------------

# For each table: the dates that show activity, and the end date whose absence means "open".
ACTIVITY: list[tuple[type[models.Model], tuple[str, ...], str]] = [
    (casedata.Involvement, ("start_date", "end_date"), "end_date"),
    (casedata.S47Enquiry, ("start_date", "end_date"), ""),
    (casedata.StrategyDiscussion, ("date",), ""),
    (casedata.CPPlan, ("start_date", "end_date"), "end_date"),
    (casedata.InitialConference, ("date",), ""),
    (casedata.ReviewConference, ("date",), ""),
    (casedata.CoreGroup, ("date", "recorded_date"), ""),
    (casedata.MidwayReview, ("date",), ""),
    (casedata.CPVisit, ("date",), ""),
    (casedata.LegalPlanning, ("requested_date", "decision_date", "recorded_date"), ""),
    (
        casedata.PreProceedings,
        (
            "decision_date",
            "letter_date",
            "initial_meeting_date",
            "stepdown_issue_date",
            "letter_filed_date",
            "meeting_filed_date",
        ),
        "",
    ),
    (casedata.ViabilityAssessment, ("requested_date", "completed_date", "qa_date"), ""),
    (casedata.CaseFlag, ("start_date", "end_date", "last_review_date"), "end_date"),
    (casedata.CaseOversight, ("date",), ""),
]


@dataclass
class PurgeResult:
    cutoff: date
    people: int = 0
    without_activity: int = 0
    deleted: dict[str, int] = field(default_factory=dict)
    dry_run: bool = False


def last_activity(partnership: Partnership) -> tuple[dict[int, date], set[int]]:
    """Each person's latest dated event, and the people with something still open."""
    latest: dict[int, date] = {}
    open_people: set[int] = set()
    for person_id, death in casedata.Person.objects.filter(
        partnership=partnership, death_date__isnull=False
    ).values_list("pk", "death_date"):
        if death is not None:
            latest[person_id] = death
    for model, fields, open_field in ACTIVITY:
        rows = model.objects.filter(partnership=partnership)  # type: ignore[attr-defined]
        for name in fields:
            for person_id, value in (
                rows.values("person_id").annotate(last=Max(name)).values_list("person_id", "last")
            ):
                if value is not None and (person_id not in latest or value > latest[person_id]):
                    latest[person_id] = value
        if open_field:
            open_people.update(
                rows.filter(**{f"{open_field}__isnull": True}).values_list("person_id", flat=True)
            )
    return latest, open_people


def purge(
    partnership: Partnership, *, older_than_years: int, actor: Viewer | None, dry_run: bool = False
) -> PurgeResult:
    """Delete the people whose latest activity is older than the period, with their records.

    People with something still open (a plan, a flag, an allocation) are kept, and so are
    people with no dated activity at all. The next import adds back anyone still in the
    extract: retention in the case system itself is the lasting fix.
    """
    today = timezone.localdate()
    try:
        cutoff = today.replace(year=today.year - older_than_years)
    except ValueError:  # 29 February
        cutoff = today.replace(year=today.year - older_than_years, day=28)
    result = PurgeResult(cutoff=cutoff, dry_run=dry_run)
    with transaction.atomic():
        latest, open_people = last_activity(partnership)
        people = casedata.Person.objects.filter(partnership=partnership)
        all_ids = set(people.values_list("pk", flat=True))
        result.without_activity = len(all_ids - set(latest) - open_people)
        doomed = sorted(
            pk for pk, last in latest.items() if last < cutoff and pk not in open_people
        )
        result.people = len(doomed)
        if dry_run or not doomed:
            return result
        for start in range(0, len(doomed), 500):
            _, counts = casedata.Person.objects.filter(pk__in=doomed[start : start + 500]).delete()
            for label, count in counts.items():
                key = label.split(".")[-1]
                result.deleted[key] = result.deleted.get(key, 0) + count
        columnar.forget(partnership.pk)
        case_data_changed.send(sender=casedata.Person, partnership_id=partnership.pk)
        audit.record(
            actor,
            audit.Action.DELETE,
            record_type="casedata.person",
            record_id="",
            summary=(
                f"Purged {result.people} people whose latest activity was before "
                f"{cutoff.isoformat()} ({older_than_years} years)"
            ),
            changes={"cutoff": cutoff.isoformat(), "deleted": result.deleted},
        )
    return result


def table_label(name: str) -> str:
    table = BY_NAME.get(name)
    return table.file_name if table else name
