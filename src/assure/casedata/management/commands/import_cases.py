"""`assure import-cases DIR`: import a case data extract (a folder of CSV files or a .zip)."""

import sys
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import OperationalError
from tqdm import tqdm

from assure.casedata import services
from assure.casedata.contract import BY_NAME
from assure.casedata.importer.run import ImportResult
from assure.core.commandline import AuditedCommand, acting_viewer, add_as_argument
from assure.core.viewer import Viewer
from assure.ops import tempfiles


def parse_extract_date(text: str | None) -> date | None:
    """--extract-date's value, None if not given (also for `import-cin`)."""
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--extract-date must be a date as YYYY-MM-DD, not {text!r}.") from None


def busy_message(error: OperationalError) -> str:
    """Why nothing was imported when the database could not be written (also `import-cin`)."""
    return (
        f"The database could not be written ({error}): nothing was imported. If another "
        "import or a backup was running, try again when it has finished."
    )


class ProgressBars:
    """A tqdm bar for each table as it is checked and then written."""

    def __init__(self) -> None:
        self.key: tuple[str, str] | None = None
        self.bar: Any = None

    def __call__(self, phase: str, table: str, rows: int, total: int | None) -> None:
        if self.key != (phase, table):
            self.close()
            self.key = (phase, table)
            self.bar = tqdm(total=total, desc=f"{phase} {table}", unit=" rows", leave=False)
        self.bar.update(rows)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


class Command(AuditedCommand):
    help = "Import a case data extract: a folder of ssd_*/assure_* CSV files, or a .zip of them."
    # Django's checks load every URL and view (a second of a nightly import); `assure check`
    # and the server at start-up run them, and an import needs none of what they check.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="Folder of CSV files, or a .zip file of them")
        parser.add_argument(
            "--extract-date",
            type=str,
            default=None,
            help="The date the extract was taken (YYYY-MM-DD); default today",
        )
        parser.add_argument(
            "--partnership", default=None, help="The partnership's name (default: the only one)"
        )
        add_as_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        self._handle(acting_viewer(options["as_username"]), options)

    def _handle(self, actor: Viewer | None, options: dict[str, Any]) -> None:
        tempfiles.clean_stale()  # left by an import that crashed (run from cron, no server)
        extract_date = parse_extract_date(options["extract_date"])
        progress = ProgressBars() if sys.stdout.isatty() else None
        try:
            partnership = services.partnership_named(options["partnership"])
            result = services.import_path(
                partnership,
                options["path"],
                actor=actor,
                extract_date=extract_date,
                progress=progress,
            )
        except services.ExtractError as error:
            raise CommandError(str(error)) from None
        except OperationalError as error:
            raise CommandError(busy_message(error)) from None
        finally:
            if progress:
                progress.close()
        for warning in result.warnings:
            self.stdout.write(self.style.WARNING(f"Warning: {warning}"))
        if not result.ok:
            for problem in result.problems:
                self.stdout.write(f"- {problem}")
            if result.more_problems:
                self.stdout.write(f"- … and {result.more_problems} more problems")
            raise CommandError(
                f"The extract has {result.problem_count} problem"
                f"{'' if result.problem_count == 1 else 's'}: nothing was imported."
            )
        write_report(self, result, options["verbosity"])


def write_report(command: BaseCommand, result: ImportResult, verbosity: int = 1) -> None:
    """What a successful import changed, table by table (also used by `import-cin`)."""
    out, style = command.stdout, command.style
    snapshot = result.snapshot
    assert snapshot is not None
    if result.already_imported:
        out.write(
            style.SUCCESS(
                f"This extract (of {snapshot.extract_date:%Y-%m-%d}) is already imported: "
                "nothing changed."
            )
        )
        return
    summary = result.summary
    out.write(f"{'Table':<32} {'Rows':>9} {'Added':>9} {'Changed':>9} {'Removed':>9}")
    for name, counts in summary["tables"].items():
        out.write(
            f"{name:<32} {counts['rows']:>9} {counts['added']:>9} "
            f"{counts['changed']:>9} {counts['removed']:>9}"
        )
    for file_name, columns in summary["dropped_columns"].items():
        out.write(f"Dropped columns in {file_name}: {', '.join(columns)}")
    missing = [name for name in BY_NAME if name not in snapshot.tables_present]
    if missing:
        out.write("Not in this extract (unknown): " + ", ".join(missing))
    if verbosity >= 2:
        out.write(f"The database's write lock was held for {result.locked_seconds:.2f} s.")
    out.write(
        style.SUCCESS(
            f"Imported the extract of {snapshot.extract_date:%Y-%m-%d}: "
            f"{summary['added']} rows added, {summary['changed']} changed, "
            f"{summary['removed']} removed."
        )
    )
