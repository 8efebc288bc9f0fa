"""`assure import-training FILE.csv|xlsx --as USERNAME`: import a training attendance file.

All rows or none: any problem is printed by row, column, value and what was expected, and
nothing is written. The person named by `--as` must be allowed to import attendance
(`workforce.manage`); the import is in their partnership and in the audit trail under them.
"""

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError, CommandParser

from assure.core.commandline import AuditedCommand, acting_viewer, add_as_argument
from assure.workforce.services import import_training


class Command(AuditedCommand):
    help = "Import a training attendance file (CSV or XLSX; docs/domain.md section 9)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The attendance file (.csv or .xlsx)")
        add_as_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: there is no such file.")
        viewer = acting_viewer(options["as_username"])
        if viewer is None:
            raise CommandError("Name the partnership manager the import is for: --as USERNAME.")
        try:
            result = import_training(viewer, path.name, path.read_bytes())
        except PermissionDenied as error:
            raise CommandError(
                f"--as {viewer.user.username}: that person may not import training attendance."
            ) from error
        if not result.ok:
            for problem in result.problems:
                self.stderr.write(f"{path.name}, {problem}")
            raise CommandError(f"{path.name} was not imported: nothing was written.")
        added = (
            f"; courses added: {', '.join(result.courses_added)}" if result.courses_added else ""
        )
        self.stdout.write(f"Imported {result.rows} attendance rows from {path.name}{added}.")
