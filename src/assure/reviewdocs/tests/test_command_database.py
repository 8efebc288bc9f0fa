"""`assure parse-review` without --agencies reads the partnership's agencies and writes nothing."""

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from assure.accounts.models import Agency
from assure.core.models import AuditEvent

SEED = Path(__file__).resolve().parents[2] / "demo_data" / "freddie-scr-response.txt"


@pytest.mark.django_db
def test_uses_the_partnerships_agencies_and_writes_nothing(police: Agency) -> None:
    police.aliases = ["Hampshire Constabulary"]
    police.save()
    before = AuditEvent.objects.count()
    out = StringIO()
    call_command("parse_review", str(SEED), "--json", stdout=out)
    draft = json.loads(out.getvalue())
    assert [r["number"] for r in draft["recommendations"]] == list(range(1, 13))
    agencies = {
        response["agency"] for rec in draft["recommendations"] for response in rec["responses"]
    }
    assert "Testshire Police" in agencies
    assert AuditEvent.objects.count() == before


def test_hyphenated_command_name_works_from_the_shell(tmp_path: Path) -> None:
    agencies = tmp_path / "agencies.json"
    agencies.write_text('[{"name": "Solent NHS Trust", "aliases": ["Solent"]}]')
    result = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-m",
            "assure.cli",
            "parse-review",
            str(SEED),
            "--agencies",
            str(agencies),
            "--json",
        ],
        capture_output=True,
        text=True,
        env={
            "SECRET_KEY": "x",
            "HTTPS": "0",
            "PATH": "/usr/bin:/bin",
            "ASSURE_VAR_DIR": str(tmp_path),
        },
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)["recommendations"]) == 12
