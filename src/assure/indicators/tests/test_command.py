"""`assure indicators`: JSON shape, --detail, the readable table and bad dates."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from assure.indicators.engine import REGISTRY
from assure.indicators.tests.builders import Case

SUMMARY_KEYS = {"id", "title", "met", "late", "overdue", "breach", "upcoming", "value", "target"}


@pytest.fixture
def loaded(partnership):
    case = Case()
    # Requested Fri 19 Dec 2025 + 10 wd = Wed 7 Jan 2026; completed Thu 8 Jan: late.
    case.viability("V1", "P1", "2025-12-19", completed="2026-01-08")
    # Completed after `--to` (31 Jan): ignored, so the QA obligation does not exist yet.
    case.viability("V2", "P2", "2026-01-26", completed="2026-02-03", qa="2026-02-04")
    case.load(partnership, missing=("assure_case_flags",))
    return partnership


def _run(*args: str) -> str:
    out = StringIO()
    call_command("indicators", *args, stdout=out)
    return out.getvalue()


def test_json_summary(loaded):
    data = json.loads(_run("--from", "2026-01-01", "--to", "2026-01-31", "--json"))
    assert set(data) == {"from", "to", "indicators"}
    assert (data["from"], data["to"]) == ("2026-01-01", "2026-01-31")
    assert [i["id"] for i in data["indicators"]] == list(REGISTRY)
    for item in data["indicators"]:
        assert set(item) == SUMMARY_KEYS
    viability = next(i for i in data["indicators"] if i["id"] == "viability_10wd")
    assert (viability["late"], viability["value"], viability["target"]) == (1, 0.0, 0.9)
    csafe = next(i for i in data["indicators"] if i["id"] == "csafe_review_3m")
    assert csafe["value"] is None


def test_json_detail(loaded):
    data = json.loads(
        _run(
            "--from",
            "2026-01-01",
            "--to",
            "2026-01-31",
            "--json",
            "--detail",
            "--partnership",
            loaded.name,
        )
    )
    for item in data["indicators"]:
        assert set(item) == SUMMARY_KEYS | {"obligations"}
    viability = next(i for i in data["indicators"] if i["id"] == "viability_10wd")
    assert viability["obligations"] == [
        {
            "person_id": "P1",
            "ref": "viability assessment V1",
            "due": "2026-01-07",
            "done": "2026-01-08",
            "status": "late",
        },
        {
            "person_id": "P2",
            "ref": "viability assessment V2",
            "due": "2026-02-09",
            "done": None,
            "status": "upcoming",
        },
    ]
    # V1 completed Thu 8 Jan 2026 + 5 wd = Thu 15 Jan, no QA: overdue. V2 was completed after
    # `--to`, so it has no QA obligation yet.
    qa = next(i for i in data["indicators"] if i["id"] == "viability_qa_5wd")
    assert [(o["ref"], o["due"], o["status"]) for o in qa["obligations"]] == [
        ("viability assessment V1 QA", "2026-01-15", "overdue")
    ]


def test_table(loaded):
    text = _run("--from", "2026-01-01", "--to", "2026-01-31")
    lines = text.splitlines()
    assert lines[1].split() == [
        "id",
        "title",
        "met",
        "late",
        "overdue",
        "breach",
        "upcoming",
        "value",
        "target",
    ]
    csafe = next(line for line in lines if line.startswith("csafe_review_3m"))
    assert "no data" in csafe
    viability = next(line for line in lines if line.startswith("viability_10wd "))
    assert viability.split()[-2:] == ["0.0%", "90.0%"]
    detail = _run("--from", "2026-01-01", "--to", "2026-01-31", "--detail")
    assert "late      due 2026-01-07  done 2026-01-08  P1  viability assessment V1" in detail


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--from", "2026-02-30", "--to", "2026-03-31"), "--from must be a real date"),
        (("--from", "2026-01-01", "--to", "31/03/2026"), "--to must be a real date"),
        (("--from", "2026-04-01", "--to", "2026-03-31"), "is after --to"),
    ],
)
def test_bad_dates(loaded, args, message):
    with pytest.raises(CommandError, match=message):
        _run(*args)
