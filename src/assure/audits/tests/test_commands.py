"""`assure audit-sample` and `assure audit-agreement`: JSON shapes, tables and errors."""

import json
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from assure.audits.sampling import draw_sample
from assure.casedata.models import ImportSnapshot
from assure.indicators.tests.builders import Case


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


# ---- audit-sample -----------------------------------------------------------------------------


@pytest.fixture
def loaded(partnership):
    case = Case()
    for n in range(1, 6):
        case.plan(f"CPP{n}", f"P{n}", "2026-02-02")
        case.involvement(f"I{n}", f"P{n}", "W1", "Team A" if n <= 3 else "Team B", "2026-01-05")
    case.plan("CPP6", "P6", "2026-03-16")
    case.load(partnership)
    return partnership


def test_audit_sample_json(loaded):
    args = ("--tool", "cp-plan-quality", "--month", "2026-03", "--per-team", "2")
    data = json.loads(run("audit_sample", *args, "--json"))
    assert list(data) == ["tool", "month", "seed", "eligible_by_team", "sample"]
    assert (data["tool"], data["month"], data["seed"]) == ("cp-plan-quality", "2026-03", 1)
    assert data["eligible_by_team"] == {"Team A": 3, "Team B": 2, "Unallocated": 1}
    assert [set(child) for child in data["sample"]] == [{"person_id", "team"}] * 5
    assert [child["team"] for child in data["sample"]] == ["Team A"] * 2 + ["Team B"] * 2 + [
        "Unallocated"
    ]
    # The same draw as the app's, seed 1 by default.
    snapshot = ImportSnapshot.current(loaded)
    assert snapshot is not None
    same = draw_sample(snapshot, "cp-plan-quality", date(2026, 3, 1), 2, 1)
    assert [c["person_id"] for c in data["sample"]] == [c.person_id for c in same.sample]
    assert json.loads(run("audit_sample", *args, "--seed", "5", "--json"))["seed"] == 5


def test_audit_sample_table(loaded):
    out = run("audit_sample", "--tool", "csafe", "--month", "2026-03", "--per-team", "2")
    assert "Sample for csafe, 2026-03, seed 1" in out
    assert "No child was eligible in that month." in out
    out = run("audit_sample", "--tool", "cp-plan-quality", "--month", "2026-03", "--per-team", "5")
    assert "Team A: 3 of 3 eligible\n  P1\n  P2\n  P3" in out
    assert "Unallocated: 1 of 1 eligible\n  P6" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--tool", "plans", "--month", "2026-03", "--per-team", "2"), "no built-in audit tool"),
        (("--tool", "csafe", "--month", "March", "--per-team", "2"), "--month must be a month"),
        (("--tool", "csafe", "--month", "2026-13", "--per-team", "2"), "--month must be a month"),
        (("--tool", "csafe", "--month", "2026-03", "--per-team", "0"), "--per-team must be 1"),
    ],
)
def test_audit_sample_errors(loaded, args, message):
    with pytest.raises(CommandError, match=message) as error:
        run("audit_sample", *args)
    assert error.value.returncode == 1


def test_audit_sample_without_case_data(partnership):
    with pytest.raises(CommandError, match="has no case data yet: import an extract first"):
        run("audit_sample", "--tool", "csafe", "--month", "2026-03", "--per-team", "2")


# ---- audit-agreement --------------------------------------------------------------------------

SHEET = """audit_id,team,tool,question,auditor,auditor_grade,moderator_grade,month
A1,Team A,cp-plan-quality,overall,Sam,good,good,2026-03
A2,Team A,cp-plan-quality,overall,Sam,good,requires improvement,2026-03
A3,Team B,cp-plan-quality,overall,Kim,outstanding,outstanding,2026-03
A4,Team B,cp-plan-quality,overall,Kim,requires_improvement,requires improvement,2026-03
A1,Team A,cp-plan-quality,actions-smart,Sam,yes,no,2026-03
A5,Team B,csafe,overall,Kim,good,good,2026-03
A6,Team B,csafe,overall,Kim,good,,2026-03
"""


def test_audit_agreement_json(tmp_path):
    sheet = tmp_path / "moderation.csv"
    sheet.write_text(SHEET, encoding="utf-8")
    data = json.loads(run("audit_agreement", str(sheet), "--json"))
    # Overall: 6 pairs, 4 the same: 66.7%. Graded pairs (5): rows r = (O 1, G 3, R 1, I 0),
    # columns c = (O 1, G 2, R 2, I 0), 4 on the diagonal; chance = 1 + 6 + 2 = 9,
    # kappa = (5*4 - 9) / (25 - 9) = 11/16 = 0.6875. Weighted: one miss of one grade, observed
    # 1; expected sum((i-j)^2 r c) = O row 1*2 + 4*2 = 10, G row 3*1 + 3*2 = 9, R row 4*1 +
    # 1*2 = 6: 25; kappa_w = 1 - 5*1/25 = 0.8.
    # cp-plan-quality overall: 4 pairs, 3 the same: 75%; r = (1, 2, 1, 0), c = (1, 1, 2, 0):
    # chance = 1 + 2 + 2 = 5, kappa = (4*3 - 5)/(16 - 5) = 7/11 = 0.636; expected = O row
    # 1*1 + 4*2 = 9, G row 2*1 + 2*2 = 6, R row 4*1 + 1*1 = 5: 20, kappa_w = 1 - 4*1/20 = 0.8.
    # csafe overall: one pair, one grade: both kappas undefined. A6 is not moderated.
    assert data == {
        "pairs": 6,
        "overall": {"pairs": 6, "percent_agreement": 66.7, "kappa": 0.688, "weighted_kappa": 0.8},
        "groups": [
            {
                "tool": "cp-plan-quality",
                "question": "actions-smart",
                "pairs": 1,
                "percent_agreement": 0.0,
                "kappa": None,
                "weighted_kappa": None,
            },
            {
                "tool": "cp-plan-quality",
                "question": "overall",
                "pairs": 4,
                "percent_agreement": 75.0,
                "kappa": 0.636,
                "weighted_kappa": 0.8,
            },
            {
                "tool": "csafe",
                "question": "overall",
                "pairs": 1,
                "percent_agreement": 100.0,
                "kappa": None,
                "weighted_kappa": None,
            },
        ],
    }


def test_audit_agreement_table(tmp_path):
    sheet = tmp_path / "moderation.csv"
    sheet.write_text(SHEET, encoding="utf-8")
    lines = run("audit_agreement", str(sheet)).splitlines()
    assert lines[0].split() == [
        "tool",
        "question",
        "pairs",
        "agreement",
        "kappa",
        "weighted",
        "reading",
    ]
    assert lines[1].split() == ["overall", "6", "66.7%", "0.688", "0.800", "substantial"]
    assert lines[4].split() == ["csafe", "overall", "1", "100.0%", "-", "-", "not", "defined"]
    assert "Rows not moderated (blank moderator_grade): 1." in lines[-1]


def test_audit_agreement_unknown_grade(tmp_path):
    sheet = tmp_path / "moderation.csv"
    row = "A3,Team B,cp-plan-quality,overall,Kim,outstanding,"
    sheet.write_text(SHEET.replace(row + "outstanding", row + "Excellent"), encoding="utf-8")
    with pytest.raises(CommandError) as error:
        run("audit_agreement", str(sheet), "--json")
    assert error.value.returncode == 1
    message = str(error.value)
    assert "moderation.csv, row 4, column moderator_grade: found 'Excellent'; expected" in message
    assert "nothing was worked out" in message


def test_audit_agreement_missing_file(tmp_path):
    with pytest.raises(CommandError, match="There is no file"):
        run("audit_agreement", str(Path(tmp_path) / "nowhere.csv"))
