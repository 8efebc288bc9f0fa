"""`assure audit-agreement SHEET.csv [--json]`: auditor-moderator agreement from a moderation
sheet (docs/domain.md section 7).

Prints `{"pairs", "overall": {...}, "groups": [{"tool", "question", ...}]}` with --json (each
with pairs, percent agreement to 1 decimal place, Cohen's and quadratic-weighted kappa to 3,
null where undefined; groups ordered by tool, then question), otherwise a readable table. A
sheet with problems (an unknown grade, a missing column) is reported row by row, exit 1.
"""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from assure.audits.agreement import Agreement, agreement, agreement_by, read_moderation_sheet


def _shown(value: float | None, places: int, suffix: str = "") -> str:
    return "-" if value is None else f"{value:.{places}f}{suffix}"


class Command(BaseCommand):
    help = (
        "Agreement between auditors and moderators in a moderation sheet (CSV): percent "
        "agreement, Cohen's kappa and quadratic-weighted kappa, overall and per tool and question."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("sheet", type=Path, help="The moderation sheet, a CSV file")
        parser.add_argument("--json", action="store_true", help="Print JSON instead of a table")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["sheet"]
        if not path.is_file():
            raise CommandError(f"There is no file {str(path)!r}: give the moderation sheet's path.")
        sheet = read_moderation_sheet(path)
        if sheet.problems:
            lines = [str(problem) for problem in sheet.problems.items]
            if sheet.problems.more:
                lines.append(f"... and {sheet.problems.more} more.")
            raise CommandError(
                f"The moderation sheet {path.name} cannot be read ({sheet.problems.total} "
                "problem(s)); nothing was worked out:\n" + "\n".join(lines)
            )
        overall = agreement(sheet.pairs)
        groups = agreement_by(sheet.pairs, "tool", "question")
        if options["json"]:
            document = {
                "pairs": overall.pairs,
                "overall": overall.to_json(),
                "groups": [
                    {"tool": tool, "question": question, **figures.to_json()}
                    for (tool, question), figures in groups
                ],
            }
            self.stdout.write(json.dumps(document, indent=2))
            return
        rows = [("overall", "", overall)] + [(t, q, figures) for (t, q), figures in groups]
        self._table(rows, sheet.not_moderated)

    def _table(self, rows: list[tuple[str, str, Agreement]], not_moderated: int) -> None:
        header = ("tool", "question", "pairs", "agreement", "kappa", "weighted", "reading")
        cells = [header] + [
            (
                tool,
                question,
                str(figures.pairs),
                _shown(figures.percent_agreement, 1, "%"),
                _shown(figures.kappa, 3),
                _shown(figures.weighted_kappa, 3),
                figures.reading,
            )
            for tool, question, figures in rows
        ]
        widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
        for row in cells:
            self.stdout.write("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))
        self.stdout.write(
            f"\nKappa is over graded questions only; '-' where it is not defined. "
            f"Rows not moderated (blank moderator_grade): {not_moderated}."
        )
