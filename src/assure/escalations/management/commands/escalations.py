"""`assure escalations --from DATE --to DATE [--json] [--partnership NAME]`.

The escalation figures for the window as at its end (domain.md sections 3 and 8): raised,
ended, resolved at stage 1, each stage's met, late and overdue (a stage belongs to the window
of its due date), the median working days to resolve, and counts by the agency challenged and
by category. With --json prints {"raised", "ended", "resolved_at_stage_1", "stages",
"median_working_days_to_resolve", "by_about_agency", "by_category"}.
"""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from assure.casedata import services
from assure.escalations.figures import compute
from assure.indicators.management.commands.indicators import _date


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # as import-cases: they check nothing it uses
    help = "Escalation figures for a reporting window, as at its end date (counts only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="start", required=True, help="Window start, YYYY-MM-DD")
        parser.add_argument("--to", dest="end", required=True, help="Window end, YYYY-MM-DD")
        parser.add_argument("--json", action="store_true", help="Print JSON instead of a table")
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
        found = compute(partnership.pk, start, end)
        if options["json"]:
            self.stdout.write(json.dumps(found.to_json(), indent=2))
            return
        median = found.median_working_days_to_resolve
        lines = [
            f"Escalations from {start.isoformat()} to {end.isoformat()}",
            f"raised {found.raised}, ended {found.ended}, "
            f"resolved at stage 1 {found.resolved_at_stage_1} of {found.resolved} resolved",
            f"median working days to resolve: {'—' if median is None else f'{median:g}'}",
            f"{'stage':<8}{'met':>6}{'late':>6}{'overdue':>9}",
        ]
        lines += [
            f"{n:<8}{c['met']:>6}{c['late']:>6}{c['overdue']:>9}" for n, c in found.stages.items()
        ]
        lines += ["by the agency challenged:"] + [f"  {a}: {n}" for a, n in found.by_about_agency]
        lines += ["by category:"] + [f"  {c}: {n}" for c, n in found.category_rows()]
        self.stdout.write("\n".join(lines))
