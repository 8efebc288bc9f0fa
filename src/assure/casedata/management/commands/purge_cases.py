"""`assure purge-cases`: delete people whose latest activity is older than the retention period."""

import re
from typing import Any

from django.core.management.base import CommandError, CommandParser

from assure.casedata import services
from assure.core.commandline import AuditedCommand, acting_viewer, add_as_argument

MAX_YEARS = 100
EXPECTED_YEARS = f"a whole number of years from 1 to {MAX_YEARS}"


class Command(AuditedCommand):
    help = (
        "Delete people (and all their records) whose latest activity is older than the "
        "retention period (setting ASSURE_CASE_RETENTION_YEARS, default 7)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than-years",
            default=None,
            metavar="YEARS",
            help=f"The retention period: {EXPECTED_YEARS} (default: the setting)",
        )
        parser.add_argument("--dry-run", action="store_true", help="Only count; delete nothing")
        parser.add_argument("--partnership", default=None)
        add_as_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        self._handle(options)

    def _handle(self, options: dict[str, Any]) -> None:
        actor = acting_viewer(options["as_username"])
        given = options["older_than_years"]
        if given is None:
            years = retention_years(services.retention_setting(), "ASSURE_CASE_RETENTION_YEARS")
        else:
            years = retention_years(given, "--older-than-years")
        try:
            partnership = services.partnership_named(options["partnership"])
        except services.ExtractError as error:
            raise CommandError(str(error)) from None
        result = services.purge(
            partnership, older_than_years=years, actor=actor, dry_run=options["dry_run"]
        )
        verb = "Would delete" if result.dry_run else "Deleted"
        self.stdout.write(
            f"{verb} {result.people} people whose latest activity is before "
            f"{result.cutoff:%Y-%m-%d} ({years} years)."
        )
        for name, count in sorted(result.deleted.items()):
            self.stdout.write(f"  {name}: {count}")
        if result.without_activity:
            self.stdout.write(f"Kept {result.without_activity} people with no dated activity.")


def retention_years(value: object, source: str) -> int:
    """`value` as a number of years from 1 to 100; a CommandError naming `source` otherwise."""
    text = str(value).strip()
    digits = re.fullmatch(r"0*(\d{1,3})", text, re.ASCII)
    if digits is None or not 1 <= int(digits[1]) <= MAX_YEARS:
        raise CommandError(f"{source} is {text!r}; expected {EXPECTED_YEARS}.")
    return int(digits[1])
