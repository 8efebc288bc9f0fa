"""`assure audit-sample --tool SLUG --month YYYY-MM --per-team N [--seed S] [--json]`.

Draws a case audit sample from the current snapshot (docs/domain.md section 7) and prints it,
without writing anything: with --json `{"tool", "month", "seed", "eligible_by_team":
{team: count}, "sample": [{"person_id", "team"}]}`, otherwise a readable list. For operators on
the server: it names children by their case system id.
"""

import json
from dataclasses import asdict
from datetime import date
from typing import Any

from django.core.management.base import CommandError, CommandParser

from assure.audits.sampling import TOOLS, MissingData, UnknownTool, draw_sample
from assure.audits.services import audited_before
from assure.casedata import services
from assure.casedata.models import ImportSnapshot
from assure.core import audit
from assure.core.commandline import AuditedCommand


def _month(text: str) -> date:
    try:
        return date.fromisoformat(f"{text}-01")
    except ValueError:
        raise CommandError(
            f"--month must be a month as YYYY-MM, for example 2026-03, not {text!r}."
        ) from None


class Command(AuditedCommand):
    help = (
        "Draw a case audit sample for a built-in tool and month from the current case data, "
        "per team, without saving it; children audited with the tool in the previous 3 months "
        f"are skipped. Tools: {', '.join(TOOLS)}."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--tool", required=True, help="The tool's slug, e.g. cp-plan-quality")
        parser.add_argument("--month", required=True, help="The month audited, YYYY-MM")
        parser.add_argument(
            "--per-team", type=int, required=True, help="How many children per team"
        )
        parser.add_argument("--seed", type=int, default=1, help="Seed of the draw (default 1)")
        parser.add_argument("--json", action="store_true", help="Print JSON instead of a list")
        parser.add_argument(
            "--partnership", default=None, help="The partnership's name (default: the only one)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        month = _month(options["month"])
        if options["per_team"] < 1:
            raise CommandError(f"--per-team must be 1 or more, not {options['per_team']}.")
        try:
            partnership = services.partnership_named(options["partnership"])
        except services.ExtractError as error:
            raise CommandError(str(error)) from None
        snapshot = ImportSnapshot.current(partnership)
        if snapshot is None:
            raise CommandError(
                f"{partnership.name} has no case data yet: import an extract first "
                "(assure import-cases FOLDER)."
            )
        try:
            sample = draw_sample(
                snapshot,
                options["tool"],
                month,
                options["per_team"],
                options["seed"],
                exclude=audited_before(partnership.pk, options["tool"], month),
            )
        except (UnknownTool, MissingData) as error:
            raise CommandError(str(error)) from None
        audit.record_children(
            None,
            audit.Action.VIEW,
            [child.person_id for child in sample.sample],
            snapshot,
            team_scope=None,
            record_type="audits.sample",
            summary=f"Audit sample drawn on the command line: {sample.tool}, {sample.month}",
        )
        if options["json"]:
            self.stdout.write(json.dumps(asdict(sample), indent=2))
            return
        self.stdout.write(
            f"Sample for {sample.tool}, {sample.month}, seed {sample.seed} "
            f"(extract of {snapshot.extract_date:%Y-%m-%d})"
        )
        drawn: dict[str, list[str]] = {}
        for child in sample.sample:
            drawn.setdefault(child.team, []).append(child.person_id)
        for team, eligible in sample.eligible_by_team.items():
            people = drawn.get(team, [])
            self.stdout.write(f"\n{team}: {len(people)} of {eligible} eligible")
            for person_id in people:
                self.stdout.write(f"  {person_id}")
        if not sample.eligible_by_team:
            self.stdout.write("No child was eligible in that month.")
