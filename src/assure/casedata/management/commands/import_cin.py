"""`assure import-cin FILE.xml`: import a DfE Children in Need census file as case data.

By default nothing is written when any child has a problem: the per-child report is printed and
the command fails. With --skip-invalid the valid children are imported and the others listed.
The DfE's child protection rules (`assure.casedata.cinrules`) are checked too: a child failing
an error rule is refused like any other problem, queries (codes ending in Q) are only reported.
`--check-only` reports and writes nothing; with `--json` the report is one JSON object.
The census replaces the partnership's case data like any other extract (a snapshot), so a child
skipped loses the records imported for them before. What changed is reported as `import-cases`
reports it.
"""

import json
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.db import OperationalError

from assure.casedata import services
from assure.casedata.cin import ChildError, CinResult, census_problem, read_cin, shorten
from assure.casedata.cinrules import RuleProblem
from assure.casedata.cinrules.report import check_report
from assure.casedata.importer.run import import_tables
from assure.casedata.management.commands.import_cases import (
    busy_message,
    parse_extract_date,
    write_report,
)
from assure.core.commandline import AuditedCommand, acting_viewer, add_as_argument
from assure.core.viewer import Viewer
from assure.ops import tempfiles

SNAPSHOT_NOTE = (
    "The census replaces the partnership's case data (a snapshot): children not in it, or "
    "skipped with --skip-invalid, lose any records imported earlier."
)


def _children(count: int) -> str:
    return f"{count:,} {'child' if count == 1 else 'children'}"


class Command(AuditedCommand):
    requires_system_checks: list[str] = []  # as import-cases: they check nothing it uses
    help = (
        "Import a Children in Need census XML file (older, 2024-25 or 2026-27 layout). "
        + SNAPSHOT_NOTE
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="The census XML file")
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help=(
                "Import the valid children and list the others (default: import nothing). "
                "The census is a full snapshot: children skipped lose any records imported "
                "earlier."
            ),
        )
        parser.add_argument(
            "--partnership", default=None, help="The partnership's name (default: the only one)"
        )
        parser.add_argument(
            "--extract-date", default=None, help="The date the census was taken (YYYY-MM-DD)"
        )
        add_as_argument(parser)
        parser.add_argument(
            "--check-only",
            action="store_true",
            help="Check the census (including the DfE's rules) and report; write nothing",
        )
        parser.add_argument(
            "--json",
            action="store_true",
            help="With --check-only: print the report as JSON "
            '({"children": N, "problems": [{"child", "rule", "severity", "message"}]})',
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["json"] and not options["check_only"]:
            raise CommandError("--json is only for --check-only.")
        self._handle(acting_viewer(options["as_username"]), options)

    def _handle(self, actor: Viewer | None, options: dict[str, Any]) -> None:
        tempfiles.clean_stale()  # left by an import that crashed (run from cron, no server)
        extract_date = parse_extract_date(options["extract_date"])
        name = Path(options["path"]).name
        result = read_cin(options["path"])
        if options["json"]:
            self.stdout.write(json.dumps(check_report(result), ensure_ascii=False))
            if result.errors or result.rule_errors:
                raise CommandError(f"{name} has errors: it would not be imported.")
            return
        if result.file_errors:
            for error in result.file_errors:
                self.stdout.write(f"- {self._in_file(name, error)}")
            raise CommandError(f"{name} cannot be read as a CIN census: nothing was imported.")
        self.stdout.write(
            f"{name}: {_children(result.children)} in the census ({result.layout} layout): "
            f"{len(result.valid_child_ids):,} valid, "
            f"{len(result.invalid_child_ids):,} with problems."
        )
        for warning in result.warnings[:50]:
            self.stdout.write(self.style.WARNING(f"Warning: {warning}"))
        if len(result.warnings) > 50:
            self.stdout.write(
                self.style.WARNING(f"… and {len(result.warnings) - 50} more warnings")
            )
        self._report_queries(result)
        if result.errors or result.rule_errors:
            self._report_children(result)
            invalid = len(result.invalid_child_ids)
            if options["check_only"]:
                raise CommandError(f"{name}: {_children(invalid)} with problems (checked only).")
            if not options["skip_invalid"]:
                raise CommandError(
                    f"{name}: {_children(invalid)} {'has' if invalid == 1 else 'have'} "
                    "problems: nothing was imported (use --skip-invalid to import the others)."
                )
            if not result.valid_child_ids:
                raise CommandError(f"{name}: no child is valid: nothing was imported.")
        if options["check_only"]:
            self.stdout.write("Checked only: nothing was imported.")
            return
        self._import(name, result, options["partnership"], extract_date, actor)

    def _report_queries(self, result: CinResult) -> None:
        """The DfE's queries: worth a look, they do not stop the import."""
        queries = [p for p in result.rule_problems if not p.is_error]
        for query in queries[:50]:
            who = f"child {shorten(query.child)}" if query.child else "the file"
            self.stdout.write(self.style.WARNING(f"Query {query.rule} ({who}): {query.message}"))
        if len(queries) > 50:
            self.stdout.write(self.style.WARNING(f"… and {len(queries) - 50} more queries"))

    def _in_file(self, name: str, error: ChildError) -> str:
        """A problem in the census file, with the file's name."""
        if error.is_file_level:
            where = name if error.path == "file" else f"{name}, {error.path}"
        else:
            who = shorten(error.child_id) if error.child_id else f"#{error.position}"
            where = f"{name}, child {who}, {error.path}"
        return f"{where}: {error.shown_value}; expected {error.expected}"

    def _report_children(self, result: CinResult) -> None:
        """Each child's problems: the reader's, then the DfE rules' errors by code."""
        by_child: dict[str, list[ChildError | RuleProblem]] = {}
        for error in result.errors:
            key = error.child_id or f"#{error.position}"
            by_child.setdefault(key, []).append(error)
        file_wide: list[RuleProblem] = []
        for problem in result.rule_errors:
            if problem.child is None and problem.position is None:
                file_wide.append(problem)
                continue
            key = problem.child or f"#{problem.position}"
            by_child.setdefault(key, []).append(problem)
        for key, items in by_child.items():
            self.stdout.write(f"Child {shorten(key)}:")
            for item in items:
                if isinstance(item, RuleProblem):
                    self.stdout.write(f"  - rule {item.rule}: {item.message}")
                else:
                    self.stdout.write(
                        f"  - {item.path}: {item.shown_value}; expected {item.expected}"
                    )
        for problem in file_wide:
            self.stdout.write(f"The census: rule {problem.rule}: {problem.message}")

    def _import(
        self,
        name: str,
        result: CinResult,
        partnership_name: str | None,
        extract_date: date | None,
        actor: Viewer | None,
    ) -> None:
        try:
            partnership = services.partnership_named(partnership_name)
        except services.ExtractError as error:
            raise CommandError(str(error)) from None
        tables = result.tables_to_import()
        try:
            imported = import_tables(
                partnership, tables, actor=actor, extract_date=extract_date, source_label=name
            )
        except OperationalError as error:
            raise CommandError(busy_message(error)) from None
        if not imported.ok:
            for problem in imported.problems:
                self.stdout.write(f"- {self._in_file(name, census_problem(problem, tables))}")
            if imported.more_problems:
                self.stdout.write(f"- … and {imported.more_problems} more problems")
            count = imported.problem_count
            raise CommandError(
                f"{name}: the census has {count} problem{'' if count == 1 else 's'}: "
                "nothing was imported."
            )
        for warning in imported.warnings:
            self.stdout.write(self.style.WARNING(f"Warning: {warning}"))
        write_report(self, imported)
        if result.invalid_child_ids:
            skipped = result.invalid_child_ids
            message = (
                f"{_children(len(skipped))} not imported (problems above): "
                f"{', '.join(shorten(i) for i in skipped)}."
            )
            if not imported.already_imported:
                message += (
                    " Their earlier records, if any, are "
                    "removed by this snapshot: the census replaces all the partnership's case "
                    "data."
                )
            self.stdout.write(self.style.WARNING(message))
