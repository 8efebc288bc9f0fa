"""`assure purge-cases`: delete people whose latest activity is older than the retention period."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from assure.casedata import services


class Command(BaseCommand):
    help = (
        "Delete people (and all their records) whose latest activity is older than the "
        "retention period (setting ASSURE_CASE_RETENTION_YEARS, default 7)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--older-than-years", type=int, default=None)
        parser.add_argument("--dry-run", action="store_true", help="Only count; delete nothing")
        parser.add_argument("--partnership", default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        years = options["older_than_years"] or services.retention_years()
        if years < 1:
            raise CommandError("--older-than-years must be 1 or more.")
        try:
            partnership = services.partnership_named(options["partnership"])
        except services.ExtractError as error:
            raise CommandError(str(error)) from None
        result = services.purge(
            partnership, older_than_years=years, actor=None, dry_run=options["dry_run"]
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
