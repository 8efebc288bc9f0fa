"""`assure report --period YYYY-QN [--format pdf|html] --out FILE`: make the assurance report.

Writes the report to FILE, keeps it with the reports made from the pages (append-only, listed
under "Reports") and prints its digest, so an operator can tell that two copies say the same.
"""

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils import timezone

from assure.casedata.services import ExtractError, partnership_named
from assure.core.commandline import AuditedCommand, acting_person, add_as_argument
from assure.reports import services
from assure.reports.models import Format, ReportRequest
from assure.reports.periods import BadPeriod, Quarter


class Command(AuditedCommand):
    help = "Make the partnership's assurance report for a quarter; prints its digest."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", required=True, help="The quarter, YYYY-QN (2026-Q3)")
        parser.add_argument("--format", choices=Format.values, default=Format.PDF)
        parser.add_argument("--out", required=True, help="The file to write")
        parser.add_argument(
            "--partnership", default=None, help="The partnership's name (default: the only one)"
        )
        add_as_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            quarter = Quarter.parse(options["period"])
            partnership = partnership_named(options["partnership"])
        except (BadPeriod, ExtractError) as error:
            raise CommandError(str(error)) from None
        if quarter.start > timezone.localdate():
            raise CommandError(f"{quarter} has not started yet: choose a quarter up to this one.")
        out = Path(options["out"])
        if not out.parent.is_dir():
            raise CommandError(f"--out {out}: the folder {out.parent} does not exist.")
        person = acting_person(options["as_username"])
        made = services.render_report(partnership, quarter, options["format"], timezone.localdate())
        out.write_bytes(made.content)
        asked = ReportRequest.objects.create(
            partnership=partnership,
            period=str(quarter),
            format=options["format"],
            asked_by=person,
        )
        services.keep_report(asked, made)
        self.stdout.write(made.digest)
