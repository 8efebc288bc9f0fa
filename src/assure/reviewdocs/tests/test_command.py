"""The parse_review management command (with an agencies file: no database)."""

from __future__ import annotations

import json
import os
from io import StringIO
from pathlib import Path

import pytest

pytest.importorskip("django")

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from assure.reviewdocs.management.commands.parse_review import Command

if not settings.configured and not os.environ.get("DJANGO_SETTINGS_MODULE"):
    settings.configure()

AGENCIES = [{"name": "Hampshire Constabulary", "aliases": ["Police"]}]


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    document = tmp_path / "review.md"
    document.write_text(
        "Recommendation 1: Share learning.\n\nThe police will brief staff by June 2026.\n",
        encoding="utf-8",
    )
    agencies = tmp_path / "agencies.json"
    agencies.write_text(json.dumps(AGENCIES), encoding="utf-8")
    return document, agencies


def test_json_output(files: tuple[Path, Path]) -> None:
    out = StringIO()
    call_command(Command(), str(files[0]), "--agencies", str(files[1]), "--json", stdout=out)
    draft = json.loads(out.getvalue())
    response = draft["recommendations"][0]["responses"][0]
    assert response["agency"] == "Hampshire Constabulary"
    assert response["actions"][0]["due"] == "2026-06-30"


def test_summary_output(files: tuple[Path, Path]) -> None:
    out = StringIO()
    call_command(Command(), str(files[0]), "--agencies", str(files[1]), stdout=out)
    text = out.getvalue()
    assert "Recommendation 1: Share learning." in text
    assert "[planned due 2026-06-30] The police will brief staff by June 2026." in text


def test_unreadable_document(files: tuple[Path, Path], tmp_path: Path) -> None:
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"nope")
    with pytest.raises(CommandError, match=r"bad\.docx: could not be read"):
        call_command(Command(), str(bad), "--agencies", str(files[1]))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "could not read agencies"),
        ('{"name": "x"}', "expected a JSON list"),
        ('[{"aliases": []}]', "agency 1 should be"),
        ('[{"name": "x", "aliases": "Police"}]', "agency 1 should be"),
    ],
)
def test_bad_agencies_file(
    files: tuple[Path, Path], tmp_path: Path, content: str, message: str
) -> None:
    agencies = tmp_path / "bad.json"
    agencies.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        call_command(Command(), str(files[0]), "--agencies", str(agencies))


def test_impossible_dates_leave_actions_without_due_dates(
    files: tuple[Path, Path], tmp_path: Path
) -> None:
    document = tmp_path / "review.txt"
    document.write_text(
        "Review of Child A\n\nDate: December 0000\n\n"
        "Recommendation 1: Share learning.\n\nThe police will brief staff by December 0000.\n\n"
        "Recommendation 2: Train staff.\n\nThe police will train staff in winter 9999.\n",
        encoding="utf-8",
    )
    out = StringIO()
    call_command(Command(), str(document), "--agencies", str(files[1]), "--json", stdout=out)
    draft = json.loads(out.getvalue())
    actions = [
        action
        for rec in draft["recommendations"]
        for response in rec["responses"]
        for action in response["actions"]
    ]
    assert [(action["text"], action["due"]) for action in actions] == [
        ("The police will brief staff by December 0000.", None),
        ("The police will train staff in winter 9999.", None),
    ]
    assert "Date: December 0000" in [item["text"] for item in draft["unparsed"]]
