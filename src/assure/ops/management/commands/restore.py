"""`assure restore FILE`: a backup into an empty database, verified count by count."""

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from assure.core import audit
from assure.core.commandline import AuditedCommand
from assure.ops.backup import BackupError, restore


class Command(AuditedCommand):
    help = (
        "Restore a backup made by `assure backup` into an empty database and uploads folder, "
        "then check every table's row count and every file's SHA-256 against its manifest."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="The .tar.gz made by `assure backup`.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            checked = restore(options["archive"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        audit.record(
            None,
            audit.Action.IMPORT,
            record_type="ops.backup",
            summary=f"Backup restored: {options['archive']}"[:300],
            changes={"rows": checked.rows, "tables": checked.tables, "files": checked.files},
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored and verified: {checked.rows} rows in {checked.tables} tables and "
                f"{checked.files} evidence files match the backup's manifest."
            )
        )
