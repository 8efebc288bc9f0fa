"""Action-plan tables in CSV, Excel and Word."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from assure.reviewdocs import AgencyName, ReviewDocumentError, parse_document

from .builders import write_docx, write_xlsx
from .conftest import COUNCIL, POLICE, SOLENT

HEADER = ["Rec No", "Recommendation", "Action", "Lead agency", "Target date", "RAG status"]
ROWS = [
    ["1", "Share learning", "Circulate briefing", "Hampshire Police", "03/04/2021", "Green"],
    ["1", "", "Update training", "Hampshire Police", "June 2021", "Amber"],
    ["1", "", "Brief GPs", "Solent", "2021-05-01", "Not started"],
    ["2", "", "Audit plans", "SCC", "", ""],
    ["", "", "Orphan action", "Solent", "", ""],
    ["3", "Review chairs", "Recruit chairs", "Mystery Agency", "soon", "Blue"],
]


def _check(draft: dict[str, Any], row_offset: int = 0) -> None:
    recs = draft["recommendations"]
    assert [(r["number"], r["text"]) for r in recs] == [
        (1, "Share learning"),
        (2, ""),
        (3, "Review chairs"),
    ]
    first = recs[0]["responses"]
    assert [r["agency"] for r in first] == [POLICE, SOLENT]
    assert first[0]["actions"] == [
        {"text": "Circulate briefing", "status": "done", "due": "2021-04-03"},
        {"text": "Update training", "status": "in_progress", "due": "2021-06-30"},
    ]
    assert first[0]["text"] == "Circulate briefing\nUpdate training"
    assert first[1]["actions"][0] == {"text": "Brief GPs", "status": "planned", "due": "2021-05-01"}
    assert recs[1]["responses"][0]["agency"] == COUNCIL
    assert recs[1]["responses"][0]["actions"][0]["status"] == "unknown"
    third = recs[2]["responses"][0]
    assert third["agency"] is None
    assert third["actions"][0] == {"text": "Recruit chairs", "status": "done", "due": None}
    reasons = {(u["where"], u["reason"]) for u in draft["unparsed"]}
    orphan, mystery, rec2 = (f"row {n + row_offset}" for n in (6, 7, 5))
    assert (orphan, "no recommendation number") in reasons
    assert (mystery, "agency not recognised") in reasons
    assert (mystery, "timescale is not a date the parser understands") in reasons
    assert (rec2, "recommendation has no text") in reasons


def test_csv_action_plan(tmp_path: Path, agencies: list[AgencyName]) -> None:
    path = tmp_path / "plan.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([HEADER, *ROWS])
    _check(parse_document(path, agencies).to_json())


def test_semicolon_csv_with_title_row(tmp_path: Path, agencies: list[AgencyName]) -> None:
    path = tmp_path / "plan.csv"
    lines = ["Freddie action plan;;;;;", ";".join(HEADER), *(";".join(r) for r in ROWS)]
    path.write_text("\n".join(lines), encoding="utf-8")
    draft = parse_document(path, agencies).to_json()
    assert draft["title"] == "Freddie action plan"
    _check(draft, row_offset=1)


def test_xlsx_action_plan_with_date_cells(tmp_path: Path, agencies: list[AgencyName]) -> None:
    rows: list[list[object]] = [list(r) for r in [HEADER, *ROWS]]
    rows[1][0] = 1
    rows[1][4] = datetime(2021, 4, 3)
    path = write_xlsx(tmp_path / "plan.xlsx", {"Plan": rows})
    _check(parse_document(path, agencies).to_json())


def test_xlsx_other_sheets_are_reported(tmp_path: Path, agencies: list[AgencyName]) -> None:
    path = write_xlsx(
        tmp_path / "plan.xlsx",
        {"Cover": [["Notes for readers"]], "Plan": [HEADER, ROWS[0]]},
    )
    draft = parse_document(path, agencies).to_json()
    assert len(draft["recommendations"]) == 1
    assert {"where": "sheet 'Cover', row 1", "text": "Notes for readers",
            "reason": "table has no action-plan header row"} in draft["unparsed"]  # fmt: skip


def test_docx_action_plan_table(tmp_path: Path, agencies: list[AgencyName]) -> None:
    path = write_docx(
        tmp_path / "plan.docx",
        [("Freddie action plan", "Title")],
        table=[HEADER, *ROWS],
    )
    draft = parse_document(path, agencies).to_json()
    assert draft["title"] == "Freddie action plan"
    recs = draft["recommendations"]
    assert [r["number"] for r in recs] == [1, 2, 3]
    assert recs[0]["responses"][0]["actions"][0]["due"] == "2021-04-03"
    assert any(u["where"] == "table 1, row 6" for u in draft["unparsed"])


def test_header_synonyms_and_numbered_recommendation_cells(
    tmp_path: Path, agencies: list[AgencyName]
) -> None:
    path = tmp_path / "plan.csv"
    rows = [
        ["Recommendation", "Actions to be taken", "Organisation", "Timescale", "Progress", "Notes"],
        ["1. Share learning", "Brief staff", "UHS", "autumn 2021", "Completed", "x"],
        ["Rec 1", "Train staff", "UHS", "end of 2021", "Training will be delivered soon", ""],
    ]
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    draft = parse_document(path, agencies).to_json()
    rec = draft["recommendations"][0]
    assert (rec["number"], rec["text"]) == (1, "Share learning")
    actions = rec["responses"][0]["actions"]
    assert actions == [
        {"text": "Brief staff", "status": "done", "due": "2021-11-30"},
        {"text": "Train staff", "status": "planned", "due": "2021-12-31"},
    ]
    unused = "column not recognised: its values were not imported"
    assert {"where": "row 1", "text": "Notes", "reason": unused} in draft["unparsed"]


def test_table_without_header_is_an_error(tmp_path: Path, agencies: list[AgencyName]) -> None:
    path = tmp_path / "plan.csv"
    path.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    with pytest.raises(ReviewDocumentError, match=r"plan\.csv: no action-plan header row"):
        parse_document(path, agencies)
