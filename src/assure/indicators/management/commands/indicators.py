"""`assure indicators --from DATE --to DATE [--json] [--detail] [--partnership NAME]`.

Computes every indicator of the catalogue for the window [from, to], judged as at `to`:
nothing dated after `to` is used. Prints an aligned table, or with --json the document
`{"from", "to", "indicators": [...]}` (each with its obligations when --detail is given).
For operators on the server: every count is exact, small ones included, and --detail names
children, unlike the pages (docs/permissions.md, "Small numbers and named workers").
"""

import json
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from assure.casedata import services
from assure.indicators.engine import Result, compute_all


def _date(option: str, text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(
            f"{option} must be a real date as YYYY-MM-DD, for example 2026-03-31, not {text!r}."
        ) from None


def _percent(value: float | None) -> str:
    return "" if value is None else f"{100 * value:.1f}%"


class Command(BaseCommand):
    help = (
        "Compute the indicator catalogue for a reporting window, as at its end date. For "
        "operators on the server: counts are exact, small ones included (the pages show a count "
        "below SMALL_COUNT_THRESHOLD, default 5, as 'fewer than 5' to people without "
        "child-level access), "
        "and --detail lists children's ids. Do not pass its output to partner agencies."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="start", required=True, help="Window start, YYYY-MM-DD")
        parser.add_argument("--to", dest="end", required=True, help="Window end, YYYY-MM-DD")
        parser.add_argument("--json", action="store_true", help="Print JSON instead of a table")
        parser.add_argument(
            "--detail", action="store_true", help="Include each indicator's obligations"
        )
        parser.add_argument(
            "--partnership", default=None, help="The partnership's name (default: the only one)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        start = _date("--from", options["start"])
        end = _date("--to", options["end"])
        if start > end:
            raise CommandError(
                f"--from ({start.isoformat()}) is after --to ({end.isoformat()}): "
                "give a window whose start is on or before its end."
            )
        try:
            partnership = services.partnership_named(options["partnership"])
        except services.ExtractError as error:
            raise CommandError(str(error)) from None
        results = compute_all(partnership.pk, start, end)
        if options["json"]:
            document = {
                "from": start.isoformat(),
                "to": end.isoformat(),
                "indicators": [r.to_json(detail=options["detail"]) for r in results],
            }
            self.stdout.write(json.dumps(document, indent=2))
            return
        self._table(results, start, end, detail=options["detail"])

    def _table(self, results: list[Result], start: date, end: date, *, detail: bool) -> None:
        self.stdout.write(f"Indicators from {start.isoformat()} to {end.isoformat()}")
        header = ("id", "title", "met", "late", "overdue", "breach", "upcoming", "value", "target")
        rows = [
            (
                r.indicator.id,
                r.indicator.title,
                *(
                    (str(r.met), str(r.late), str(r.overdue), str(r.breach), str(r.upcoming))
                    if r.has_data
                    else ("", "", "", "", "")
                ),
                _percent(r.value) if r.has_data else "no data",
                _percent(r.indicator.target),
            )
            for r in results
        ]
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

        def line(cells: tuple[str, ...]) -> str:
            return "  ".join(
                cell.ljust(width) if i < 2 else cell.rjust(width)
                for i, (cell, width) in enumerate(zip(cells, widths, strict=True))
            ).rstrip()

        self.stdout.write(line(header))
        self.stdout.write("  ".join("-" * w for w in widths))
        for row in rows:
            self.stdout.write(line(row))
        if detail:
            for r in results:
                if not r.obligations:
                    continue
                self.stdout.write("")
                self.stdout.write(f"{r.indicator.id}: {r.indicator.title}")
                for o in r.obligations:
                    due = o.due.isoformat() if o.due else "-"
                    done = o.done.isoformat() if o.done else "-"
                    self.stdout.write(
                        f"  {o.status:<9} due {due:<10}  done {done:<10}  {o.person_id}  {o.ref}"
                    )
