"""`assure import-cin FILE.xml`: import a DfE Children in Need census file as case data.

By default nothing is written when any child has a problem: the per-child report is printed and
the command fails. With --skip-invalid the valid children are imported and the others listed.
The census replaces the partnership's case data like any other extract (a snapshot).
"""

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from assure.casedata.cin import ChildError, CinResult, read_cin


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--extract-date must be a date as YYYY-MM-DD, not {text!r}.") from None


class Command(BaseCommand):
    help = "Import a Children in Need census XML file (older, 2024-25 or 2026-27 layout)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="The census XML file")
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Import the valid children and list the others (default: import nothing)",
        )
        parser.add_argument(
            "--partnership", default=None, help="The partnership's name (default: the only one)"
        )
        parser.add_argument(
            "--extract-date", default=None, help="The date the census was taken (YYYY-MM-DD)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        result = read_cin(options["path"])
        if result.file_errors:
            for error in result.file_errors:
                self.stdout.write(f"- {error}")
            raise CommandError("The file cannot be read as a CIN census: nothing was imported.")
        self.stdout.write(
            f"{result.children:,} children in the census ({result.layout} layout): "
            f"{len(result.valid_child_ids):,} valid, "
            f"{len(result.invalid_child_ids):,} with problems."
        )
        for warning in result.warnings[:50]:
            self.stdout.write(self.style.WARNING(f"Warning: {warning}"))
        if len(result.warnings) > 50:
            self.stdout.write(
                self.style.WARNING(f"… and {len(result.warnings) - 50} more warnings")
            )
        if result.errors:
            self._report(result)
            if not options["skip_invalid"]:
                raise CommandError(
                    f"{len(result.invalid_child_ids):,} children have problems: nothing was "
                    "imported (use --skip-invalid to import the others)."
                )
            if not result.valid_child_ids:
                raise CommandError("No child is valid: nothing was imported.")
        self._import(result, options)

    def _report(self, result: CinResult) -> None:
        by_child: dict[str, list[ChildError]] = {}
        for error in result.errors:
            key = error.child_id or f"#{error.position}"
            by_child.setdefault(key, []).append(error)
        for key, errors in by_child.items():
            self.stdout.write(f"Child {key}:")
            for error in errors:
                value = repr(error.value) if error.value else "(blank)"
                self.stdout.write(f"  - {error.path}: {value}; expected {error.expected}")

    def _import(self, result: CinResult, options: dict[str, Any]) -> None:
        # Imported lazily: the importer needs the database, reading the census does not.
        from assure.casedata import services
        from assure.casedata.importer import import_tables

        extract_date = _date(options["extract_date"]) if options["extract_date"] else None
        try:
            partnership = services.partnership_named(options["partnership"])
        except services.ExtractError as error:
            raise CommandError(str(error)) from None
        tables = result.tables_to_import()
        imported = import_tables(partnership, tables, actor=None, extract_date=extract_date)
        if not imported.ok:
            for problem in imported.problems:
                self.stdout.write(f"- {problem}")
            raise CommandError(
                f"The census has {imported.problem_count} problems: nothing was imported."
            )
        if result.invalid_child_ids:
            self.stdout.write(
                "Not imported (problems above): " + ", ".join(result.invalid_child_ids)
            )
        counts = ", ".join(f"{name} {len(rows):,}" for name, rows in tables.items())
        self.stdout.write(self.style.SUCCESS(f"Imported {counts}."))
