"""Importing an extract: check it whole, then write it all or nothing as the new snapshot."""

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from assure.accounts.models import Partnership
from assure.casedata import columnar
from assure.casedata.importer.contract import BY_NAME, TABLES, table_name
from assure.casedata.importer.reading import Source, TableSource
from assure.casedata.importer.validation import (
    Problem,
    Problems,
    Progress,
    ValidationResult,
    validate,
)
from assure.casedata.importer.writing import TableChanges, Writer, import_settings
from assure.casedata.models import ImportSnapshot
from assure.casedata.signals import snapshot_imported
from assure.core import audit


@dataclass
class ImportResult:
    """What happened: the problems that stopped the import, or what it changed."""

    ok: bool
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    warnings: list[str] = field(default_factory=list)
    snapshot: ImportSnapshot | None = None
    already_imported: bool = False
    summary: dict[str, Any] = field(default_factory=dict)

    @property
    def more_problems(self) -> int:
        return self.problem_count - len(self.problems)


def _sources(
    source: Mapping[str, Source], problems: Problems
) -> tuple[dict[str, TableSource], list[str]]:
    sources: dict[str, TableSource] = {}
    unknown: list[str] = []
    for key, value in source.items():
        name = table_name(key)
        if name not in BY_NAME:
            unknown.append(key)
            continue
        if name in sources:
            problems.add(BY_NAME[name].file_name, None, "", key, "one file for each table")
            continue
        sources[name] = TableSource(value, BY_NAME[name].file_name)
    return sources, sorted(unknown)


def checksum(sources: dict[str, TableSource]) -> str:
    """SHA-256 over the tables' contents, in contract order (file names do not matter)."""
    hasher = hashlib.sha256()
    for table in TABLES:
        if table.name in sources:
            hasher.update(table.name.encode() + b"\0" + sources[table.name].digest())
    return hasher.hexdigest()


def import_tables(
    partnership: Partnership,
    source: Mapping[str, Source],
    *,
    actor: Any,
    extract_date: date | None = None,
    progress: Progress | None = None,
    source_label: str = "",
) -> ImportResult:
    """Validate an extract and, if it has no problems, make it the partnership's case data.

    `source` maps each table name (`ssd_person`, with or without `.csv`) to a CSV file's path
    or to an iterable of row dicts keyed by the contract's column names (as the CIN census
    importer gives). Keys that are not tables are reported as unknown files. `progress`, if
    given, must not use the database (see `validation.Progress`).
    """
    problems = Problems()
    sources, unknown = _sources(source, problems)
    warnings = [f"Unknown file {name}: not read" for name in unknown]
    if problems:
        return ImportResult(False, problems.items, problems.total, warnings)
    digest = checksum(sources)
    latest = ImportSnapshot.current(partnership)
    if (
        latest is not None
        and latest.checksum == digest
        and extract_date in (None, latest.extract_date)
    ):
        return ImportResult(
            True,
            warnings=warnings,
            snapshot=latest,
            already_imported=True,
            summary=latest.summary,
        )
    today = timezone.localdate()
    extract_date = extract_date or today
    if extract_date > today:
        # An extract cannot be taken in the future; and no later extract could follow it.
        problems.add("", None, "extract date", extract_date.isoformat(), "today or earlier")
        return ImportResult(False, problems.items, problems.total, warnings)
    if latest is not None and extract_date < latest.extract_date:
        problems.add(
            "",
            None,
            "extract date",
            extract_date.isoformat(),
            f"a date on or after the current extract's ({latest.extract_date.isoformat()})",
        )
        return ImportResult(False, problems.items, problems.total, warnings)

    try:
        with transaction.atomic(), import_settings():
            Partnership.objects.select_for_update().filter(pk=partnership.pk).first()
            # Checked and written in one pass: any problem undoes everything written.
            writer = Writer(partnership.pk, sources)
            try:
                checked = validate(sources, progress, sink=writer)
            finally:
                writer.abandon()
            if checked.problems:
                raise _Rejected(checked.problems)
            warnings += _shortened(checked.shortened)
            changes = writer.finish()
            snapshot, summary = _record(
                partnership,
                actor,
                extract_date,
                digest,
                checked,
                changes,
                unknown,
                warnings,
                source_label,
            )
    except _Rejected as rejected:
        return ImportResult(False, rejected.problems.items, rejected.problems.total, warnings)
    snapshot_imported.send(sender=ImportSnapshot, snapshot=snapshot)
    return ImportResult(True, warnings=warnings, snapshot=snapshot, summary=summary)


def _shortened(counts: dict[str, int]) -> list[str]:
    """Warnings for text (names) longer than is kept: stored cut to length, not refused."""
    columns = {c.name: (t.file_name, c.max_length) for t in TABLES for c in t.columns}
    return [
        f"{columns[name][0]}, column {name}: {count} value{'s' if count > 1 else ''} longer "
        f"than {columns[name][1]} characters kept to the first {columns[name][1]}"
        for name, count in counts.items()
    ]


class _Rejected(Exception):
    """The extract has problems: whatever was written is rolled back."""

    def __init__(self, problems: Problems):
        super().__init__(f"{problems.total} problems")
        self.problems = problems


def _record(
    partnership: Partnership,
    actor: Any,
    extract_date: date,
    digest: str,
    checked: ValidationResult,
    changes: dict[str, TableChanges],
    unknown: list[str],
    warnings: list[str],
    source_label: str,
) -> tuple[ImportSnapshot, dict[str, Any]]:
    """The new snapshot, the old one superseded, and the audit record."""
    dropped = {
        layout.table.file_name: layout.dropped
        for layout in checked.layouts.values()
        if layout.dropped
    }
    tables = {name: c.as_dict() for name, c in changes.items()}
    summary = {
        "tables": tables,
        "dropped_columns": dropped,
        "unknown_files": unknown,
        "warnings": warnings,
        "added": sum(c.added for c in changes.values()),
        "changed": sum(c.changed for c in changes.values()),
        "removed": sum(c.removed for c in changes.values()),
    }
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    ImportSnapshot.objects.filter(
        partnership=partnership, status=ImportSnapshot.Status.CURRENT
    ).update(status=ImportSnapshot.Status.SUPERSEDED)
    columnar.forget(partnership.pk)
    snapshot = ImportSnapshot.objects.create(
        partnership=partnership,
        extract_date=extract_date,
        imported_at=timezone.now(),
        imported_by_id=actor.pk if is_user else None,
        imported_by_username=actor.get_username() if is_user else "",
        source=source_label[:200],
        checksum=digest,
        row_counts=dict(checked.row_counts),
        tables_present=[t.name for t in TABLES if t.name in checked.layouts],
        summary=summary,
    )
    audit.record(
        actor,
        audit.Action.IMPORT,
        record_type="casedata.importsnapshot",
        record_id=snapshot.pk,
        summary=(
            f"Imported case data extract of {extract_date.isoformat()}: "
            f"{summary['added']} added, {summary['changed']} changed, "
            f"{summary['removed']} removed"
        ),
        changes={
            "checksum": digest,
            "extract_date": extract_date.isoformat(),
            "tables": tables,
            "dropped_columns": dropped,
        },
        actor_username="" if is_user else "command line",
    )
    return snapshot, summary
