"""Importing an extract: check it whole, then write it all or nothing as the new snapshot."""

import hashlib
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import DatabaseError, transaction
from django.utils import timezone

from assure.accounts.models import Partnership
from assure.casedata import columnar
from assure.casedata.cinrules import RuleProblem, ssd
from assure.casedata.contract import BY_NAME, TABLES, table_name
from assure.casedata.importer.lane import NotPipelined
from assure.casedata.importer.reading import Source, TableSource
from assure.casedata.importer.staging import (
    NotTransferable,
    Staging,
    build_indexes,
    can_stage,
    restore_indexes,
)
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
from assure.core.viewer import Viewer

logger = logging.getLogger(__name__)

# Seconds to wait before each new try of work after a committed import that found the database
# busy (each try itself waits up to the database's busy timeout).
AFTER_COMMIT_RETRIES = (0.5, 2.0)


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
    locked_seconds: float = 0.0  # how long the database's write lock was held

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
    actor: Viewer | None,
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
    given_date = extract_date
    today = timezone.localdate()
    extract_date = extract_date or today
    if extract_date > today:
        # An extract cannot be taken in the future; and no later extract could follow it.
        problems.add("", None, "extract date", extract_date.isoformat(), "today or earlier")
        return ImportResult(False, problems.items, problems.total, warnings)
    new = _Extract(actor, extract_date, given_date, unknown, warnings, source_label, sources)
    try:
        # Checked first to refuse early, and again under the write lock, which is what counts.
        _check_current(ImportSnapshot.current(partnership), new)
        with import_settings():
            if can_stage():
                snapshot, summary, locked = _import_staged(partnership, sources, progress, new)
            else:
                snapshot, summary, locked = _import_locked(partnership, sources, progress, new)
    except _Rejected as rejected:
        new.while_storing()
        return ImportResult(False, rejected.problems.items, rejected.problems.total, warnings)
    except _AlreadyImported as already:
        new.while_storing()
        return ImportResult(
            True,
            warnings=warnings,
            snapshot=already.snapshot,
            already_imported=True,
            summary=already.snapshot.summary,
        )
    _after_commit(snapshot, warnings)
    return ImportResult(
        True, warnings=warnings, snapshot=snapshot, summary=summary, locked_seconds=locked
    )


@dataclass
class _Extract:
    """What is known of the extract being imported before its rows are read."""

    actor: Viewer | None
    extract_date: date
    given_date: date | None  # None: not given (today is assumed)
    unknown: list[str]
    warnings: list[str]
    source_label: str
    sources: dict[str, TableSource]
    rules_read: bool = False
    sha256: str = ""

    def digest(self) -> str:
        """The extract's checksum, worked out when first needed: to compare with the current
        extract's before the rows are read, or (with none) while they are stored."""
        if not self.sha256:
            self.sha256 = checksum(self.sources)
        return self.sha256

    def while_storing(self) -> None:
        """Work that refuses nothing, done once the rows are checked while the database is
        still storing them (the staging thread, or PostgreSQL's lane), or on the way out:
        the checksum, and the DfE rules' findings added to the warnings, once."""
        if not self.rules_read:
            self.rules_read = True
            self.warnings += [_rule_warning(p) for p in ssd.check_extract(self.sources)]
        self.digest()


_Written = tuple[ValidationResult, dict[str, TableChanges]]


def _check_current(latest: ImportSnapshot | None, new: _Extract) -> None:
    """Raise `_AlreadyImported` if this very extract is current, `_Rejected` if the current
    extract is newer: an older extract must never replace a newer one."""
    if latest is None:
        return
    if latest.checksum == new.digest() and new.given_date in (None, latest.extract_date):
        raise _AlreadyImported(latest)
    if new.extract_date < latest.extract_date:
        problems = Problems()
        problems.add(
            "",
            None,
            "extract date",
            new.extract_date.isoformat(),
            f"a date on or after the current extract's ({latest.extract_date.isoformat()})",
        )
        raise _Rejected(problems)


def _check_and_write(
    partnership: Partnership,
    sources: dict[str, TableSource],
    progress: Progress | None,
    staging: Staging | None = None,
    pipeline: bool = True,
) -> tuple[ValidationResult, Writer]:
    """Check every table, handing each batch to a writer; `_Rejected` if there are problems."""
    writer = Writer(partnership.pk, sources, staging, pipeline)
    try:
        checked = validate(sources, progress, sink=writer)
        if checked.problems:
            raise _Rejected(checked.problems)
    except BaseException:
        writer.abandon()
        raise
    return checked, writer


def _write_now(
    partnership: Partnership,
    sources: dict[str, TableSource],
    progress: Progress | None,
    new: _Extract,
    pipeline: bool = True,
) -> _Written:
    """Check and write in one pass (inside the caller's transaction: any problem undoes all)."""
    checked, writer = _check_and_write(partnership, sources, progress, pipeline=pipeline)
    try:
        new.while_storing()
    except BaseException:
        writer.abandon()
        raise
    return checked, writer.finish()


def _import_locked(
    partnership: Partnership,
    sources: dict[str, TableSource],
    progress: Progress | None,
    new: _Extract,
) -> tuple[ImportSnapshot, dict[str, Any], float]:
    """Check and write under the lock (PostgreSQL, whose readers and other writers do not wait
    for it; or inside a transaction the caller holds). A first import on PostgreSQL whose
    tables another import wrote meanwhile is written again the usual way (`Writer`)."""
    try:
        return _swap(partnership, new, lambda: _write_now(partnership, sources, progress, new))
    except NotPipelined:
        logger.info("Case data was written since the import began: writing it again")
        return _swap(
            partnership, new, lambda: _write_now(partnership, sources, progress, new, False)
        )


def _import_staged(
    partnership: Partnership,
    sources: dict[str, TableSource],
    progress: Progress | None,
    new: _Extract,
) -> tuple[ImportSnapshot, dict[str, Any], float]:
    """Check and stage with no write lock, then copy the changes in under it (SQLite); then
    build the indexes of tables that were empty."""
    restore_indexes()
    with Staging(partnership) as staging:
        staging.begin()
        checked, writer = _check_and_write(partnership, sources, progress, staging)
        changes = writer.finish()
        new.while_storing()
        staging.commit()

        def write() -> _Written:
            if staging.unchanged_since():
                writer.apply()
                return checked, changes
            if staging.transfer:  # foreign keys are off: swap again with them on
                raise NotTransferable("case data was written since staging began")
            # The case data changed meanwhile (another import, a purge): the staged changes
            # no longer fit it, so the extract is written again, under the lock.
            return _write_now(partnership, sources, progress, new)

        swapped = None
        if staging.transfer:
            try:
                with staging.transferring():
                    swapped = _swap(partnership, new, write, staging.check_references)
            except NotTransferable:
                staging.transfer = False
        if swapped is None:
            swapped = _swap(partnership, new, write)
    build_indexes(writer.indexes_to_build)
    return swapped


def _swap(
    partnership: Partnership,
    new: _Extract,
    write: Callable[[], _Written],
    check_references: Callable[[list[str]], None] | None = None,
) -> tuple[ImportSnapshot, dict[str, Any], float]:
    """Under the write lock: check the extract against the current one, write, record.

    Given `check_references` (foreign keys are off: see `Staging.transferring`), the rows
    the record writes are checked with it too before the commit.
    Returns the snapshot, its summary and how long the lock was held, in seconds.
    """
    with transaction.atomic():
        # PostgreSQL: one import at a time for a partnership. SQLite: the transaction began
        # with the database's write lock (BEGIN IMMEDIATE), which serialises imports anyway.
        Partnership.objects.select_for_update().filter(pk=partnership.pk).first()
        locked_at = time.perf_counter()
        _check_current(ImportSnapshot.current(partnership), new)
        checked, changes = write()
        new.warnings += _shortened(checked.shortened)
        snapshot, summary = _record(partnership, new, checked, changes)
        if check_references is not None:
            check_references([ImportSnapshot._meta.db_table])
    return snapshot, summary, time.perf_counter() - locked_at


def _after_commit(snapshot: ImportSnapshot, warnings: list[str]) -> None:
    """Tell the areas that use case data (they queue work of their own).

    The import is committed by now, so nothing here may turn it into a failure: a listener
    that fails (the database busy) is tried again, then logged and reported as a warning.
    """
    results = snapshot_imported.send_robust(sender=ImportSnapshot, snapshot=snapshot)
    for receiver, outcome in results:
        for delay in AFTER_COMMIT_RETRIES:
            if not isinstance(outcome, DatabaseError):
                break
            time.sleep(delay)
            try:
                outcome = receiver(
                    signal=snapshot_imported, sender=ImportSnapshot, snapshot=snapshot
                )
            except Exception as error:  # reported below, never raised
                outcome = error
        if isinstance(outcome, Exception):
            logger.error(
                "Follow-up work of an import failed",
                exc_info=outcome,
                extra={"snapshot": snapshot.pk},
            )
            warnings.append(
                "The extract is imported, but the work that follows it (figures, checks of "
                f"measures) could not be started: {outcome}. It is done at the next import."
            )


def _rule_warning(problem: RuleProblem) -> str:
    """A DfE rule's finding in an SSD extract: reported, not refused (see `cinrules.ssd`)."""
    kind = "query" if not problem.is_error else "rule"
    return f"DfE {kind} {problem.rule}, child {problem.child}: {problem.message}"


def _shortened(counts: dict[str, int]) -> list[str]:
    """Warnings for text (names) longer than is kept: stored cut to length, not refused."""
    columns = {c.name: (t.file_name, c.max_length) for t in TABLES for c in t.columns}
    return [
        f"{columns[name][0]}, column {name}: {count} value{'s' if count > 1 else ''} longer "
        f"than {columns[name][1]} characters kept to the first {columns[name][1]}"
        for name, count in counts.items()
    ]


class _AlreadyImported(Exception):
    """This very extract is the current one: nothing to do."""

    def __init__(self, snapshot: ImportSnapshot):
        super().__init__(f"already imported as snapshot {snapshot.pk}")
        self.snapshot = snapshot


class _Rejected(Exception):
    """The extract has problems: whatever was written is rolled back."""

    def __init__(self, problems: Problems):
        super().__init__(f"{problems.total} problems")
        self.problems = problems


def _record(
    partnership: Partnership,
    new: _Extract,
    checked: ValidationResult,
    changes: dict[str, TableChanges],
) -> tuple[ImportSnapshot, dict[str, Any]]:
    """The new snapshot, the old one superseded, and the audit record."""
    actor, extract_date, digest = new.actor, new.extract_date, new.digest()
    dropped = {
        layout.table.file_name: layout.dropped
        for layout in checked.layouts.values()
        if layout.dropped
    }
    tables = {name: c.as_dict() for name, c in changes.items()}
    summary = {
        "tables": tables,
        "dropped_columns": dropped,
        "unknown_files": new.unknown,
        "warnings": new.warnings,
        "added": sum(c.added for c in changes.values()),
        "changed": sum(c.changed for c in changes.values()),
        "removed": sum(c.removed for c in changes.values()),
    }
    ImportSnapshot.objects.filter(
        partnership=partnership, status=ImportSnapshot.Status.CURRENT
    ).update(status=ImportSnapshot.Status.SUPERSEDED)
    columnar.forget(partnership.pk)
    snapshot = ImportSnapshot.objects.create(
        partnership=partnership,
        extract_date=extract_date,
        imported_at=timezone.now(),
        imported_by_id=actor.user.pk if actor else None,
        imported_by_username=actor.user.get_username() if actor else "",
        source=new.source_label[:200],
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
    )
    return snapshot, summary
