"""`assure restore FILE`: a backup into an empty database, verified count by count."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from assure.ops.backup import BackupError, restore


class Command(BaseCommand):
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
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored and verified: {checked.rows} rows in {checked.tables} tables and "
                f"{checked.files} evidence files match the backup's manifest."
            )
        )
