"""`manage.py parse_review FILE [--agencies FILE] [--json]`: print a document's draft."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from assure.reviewdocs import AgencyName, Draft, ReviewDocumentError, parse_document


class Command(BaseCommand):
    help = "Parse a review document or action plan into a draft and print it (writes nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="a .txt, .md, .docx, .pdf, .csv or .xlsx file")
        parser.add_argument(
            "--agencies",
            type=Path,
            help='JSON list of {"name": ..., "aliases": [...]} (default: the database agencies)',
        )
        parser.add_argument("--json", action="store_true", help="print the draft as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        agencies_file: Path | None = options["agencies"]
        agencies = load_agencies_file(agencies_file) if agencies_file else agencies_from_database()
        try:
            draft = parse_document(options["file"], agencies)
        except ReviewDocumentError as exc:
            raise CommandError(str(exc)) from exc
        if options["json"]:
            self.stdout.write(json.dumps(draft.to_json(), indent=2, ensure_ascii=False))
        else:
            self.stdout.write(summary(draft))


def load_agencies_file(path: Path) -> list[AgencyName]:
    """Agencies from a JSON file: a list of {"name": str, "aliases": [str, ...]}."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CommandError(f"{path.name}: could not read agencies ({exc})") from exc
    if not isinstance(data, list):
        raise CommandError(f"{path.name}: expected a JSON list of agencies")
    return [_agency(path.name, index, item) for index, item in enumerate(data, 1)]


def _agency(file_name: str, index: int, item: object) -> AgencyName:
    expected = f'{file_name}: agency {index} should be {{"name": "...", "aliases": ["..."]}}'
    if not isinstance(item, dict) or not isinstance(item.get("name"), str):
        raise CommandError(expected)
    aliases = item.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise CommandError(expected)
    return AgencyName(item["name"], tuple(aliases))


def agencies_from_database() -> list[AgencyName]:
    """Every agency in the database (read only)."""
    from assure.accounts.models import Agency

    return [
        AgencyName(agency.name, tuple(str(alias) for alias in agency.aliases or []))
        for agency in Agency.objects.all()
    ]


def summary(draft: Draft) -> str:
    """A readable outline of a draft."""
    lines = [f"Title: {draft.title or '(none)'}"]
    for rec in draft.recommendations:
        lines.append(f"\nRecommendation {rec.number}: {rec.text or '(no text)'}")
        for response in rec.responses:
            lines.append(f"  {response.agency or 'Not attributed'}")
            for action in response.actions:
                due = f" due {action.due.isoformat()}" if action.due else ""
                lines.append(f"    - [{action.status}{due}] {action.text}")
    if draft.unparsed:
        lines.append(f"\nNot understood ({len(draft.unparsed)}):")
        lines.extend(f"  {item.where}: {item.reason}: {item.text}" for item in draft.unparsed)
    return "\n".join(lines)
