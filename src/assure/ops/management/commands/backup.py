"""`assure backup --out FILE`: the database and evidence files in one verified archive."""

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from assure.core import audit
from assure.core.commandline import AuditedCommand
from assure.ops.backup import BackupError, backup


class Command(AuditedCommand):
    help = "Back up the database and the evidence files to a .tar.gz archive with a manifest."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--out", type=Path, required=True, help="The archive to write (.tar.gz)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = backup(options["out"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        audit.record(
            None,
            audit.Action.EXPORT,
            record_type="ops.backup",
            summary=f"Backup made: {options['out']}"[:300],
            changes={"rows": sum(manifest.rows.values()), "files": len(manifest.files) - 1},
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up {sum(manifest.rows.values())} rows of {len(manifest.rows)} tables "
                f"and {len(manifest.files) - 1} evidence files to {options['out']}."
            )
        )
        self.stdout.write("It holds children's data: keep it encrypted and access-controlled.")
