"""`assure import-escalations FILE.csv|xlsx [--partnership NAME] [--as USERNAME]`.

One row a stage: escalation_id, raised_date, raised_by_agency, about_agency, category, stage,
stage_started, stage_ended, outcome. Every problem is listed by row and field, and nothing is
written if there is any.
"""

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from assure.casedata import services
from assure.core.commandline import AuditedCommand, acting_viewer, add_as_argument
from assure.escalations.importer import ImportRefused, import_file


class Command(AuditedCommand):
    requires_system_checks: list[str] = []  # as import-cases: they check nothing it uses
    help = "Import escalation history from a CSV or Excel file (one row a stage)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="The .csv or .xlsx file")
        parser.add_argument(
            "--partnership", default=None, help="The partnership's name (default: the only one)"
        )
        add_as_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        try:
            partnership = services.partnership_named(options["partnership"])
        except services.ExtractError as error:
            raise CommandError(str(error)) from None
        actor = acting_viewer(options["as_username"])
        try:
            count = import_file(partnership, path, actor)
        except ImportRefused as refused:
            for problem in refused.problems:
                self.stderr.write(problem)
            raise CommandError(
                f"Nothing imported: {len(refused.problems)} problem"
                f"{'' if len(refused.problems) == 1 else 's'} in {path.name}."
            ) from None
        self.stdout.write(
            f"Imported {count} escalation{'' if count == 1 else 's'} from {path.name}."
        )
