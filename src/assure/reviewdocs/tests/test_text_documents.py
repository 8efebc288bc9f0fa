"""Numbering styles, agency attribution and actions in text and markdown documents."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from assure.reviewdocs import AgencyName, parse_document

from .conftest import COUNCIL, EDUCATION, POLICE, SOLENT


def _parse(tmp_path: Path, agencies: list[AgencyName], text: str, name: str = "doc.md") -> Any:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return parse_document(path, agencies).to_json()


def test_heading_style(tmp_path: Path, agencies: list[AgencyName]) -> None:
    draft = _parse(
        tmp_path,
        agencies,
        "Review of Child A\n\nRecommendation 1\n\nTo improve training.\n\n"
        "Hampshire Constabulary will deliver training by June 2026.\n\n"
        "Recommendation 2\n\nTo share learning.\n\nThe audit has been completed.\n",
        "doc.txt",
    )
    assert draft["title"] == "Review of Child A"
    recs = draft["recommendations"]
    assert [(r["number"], r["text"]) for r in recs] == [
        (1, "To improve training."),
        (2, "To share learning."),
    ]
    action = recs[0]["responses"][0]["actions"][0]
    assert recs[0]["responses"][0]["agency"] == POLICE
    assert action == {
        "text": "Hampshire Constabulary will deliver training by June 2026.",
        "status": "planned",
        "due": "2026-06-30",
    }
    assert recs[1]["responses"][0]["agency"] is None
    assert recs[1]["responses"][0]["actions"][0]["status"] == "done"
    assert draft["unparsed"] == []


def test_inline_style_with_colon_and_dash(tmp_path: Path, agencies: list[AgencyName]) -> None:
    draft = _parse(
        tmp_path,
        agencies,
        "# Action plan\n\n## Recommendation 1: Improve supervision\n\n"
        "Response: Solent NHS Trust is reviewing supervision.\n\n"
        "**Recommendation 2** - Raise awareness of escalation\n\n"
        "Education professionals will be reminded in spring 2021.\n",
    )
    recs = draft["recommendations"]
    assert [(r["number"], r["text"]) for r in recs] == [
        (1, "Improve supervision"),
        (2, "Raise awareness of escalation"),
    ]
    assert recs[0]["responses"][0]["agency"] == SOLENT
    assert recs[0]["responses"][0]["text"] == "Solent NHS Trust is reviewing supervision."
    assert recs[0]["responses"][0]["actions"][0]["status"] == "in_progress"
    assert recs[1]["responses"][0]["agency"] == EDUCATION
    assert recs[1]["responses"][0]["actions"][0]["due"] == "2021-05-31"
    assert draft["title"] == "Action plan"


def test_numbered_list_under_heading(tmp_path: Path, agencies: list[AgencyName]) -> None:
    draft = _parse(
        tmp_path,
        agencies,
        "Introduction text.\n\nRecommendations\n\n1. Agencies should share learning.\n"
        "The police have shared it.\n2) Chairs should be consistent.\n\n"
        "3. Audit core groups.\n- 1. not a new recommendation\n",
    )
    recs = draft["recommendations"]
    assert [(r["number"], r["text"]) for r in recs] == [
        (1, "Agencies should share learning. The police have shared it."),
        (2, "Chairs should be consistent."),
        (3, "Audit core groups."),
    ]
    assert recs[2]["responses"][0]["text"] == "- 1. not a new recommendation"
    assert draft["unparsed"][0]["reason"] == "introduction before the first recommendation"


def test_numbered_items_out_of_sequence_stay_in_the_response(
    tmp_path: Path, agencies: list[AgencyName]
) -> None:
    draft = _parse(
        tmp_path,
        agencies,
        "Recommendations\n\n1. First.\n\nSteps taken:\n\n1. Trained staff.\n\n2. Second.\n",
    )
    recs = draft["recommendations"]
    assert [r["number"] for r in recs] == [1, 2]
    assert "1. Trained staff." in recs[0]["responses"][0]["text"]


def test_bold_bullets_split_agencies_and_continue(
    tmp_path: Path, agencies: list[AgencyName]
) -> None:
    draft = _parse(
        tmp_path,
        agencies,
        "Recommendation 1\n\nShare learning.\n\nIn addition, partner agencies note:\n\n"
        "- **Hampshire Constabulary** has updated its procedure.\n"
        "- The document is being redrafted.\n"
        "- **Solent NHS Trust** delivers training.\n\n"
        "Southampton City Council's Children's Services have implemented:\n\n"
        "- Quality Assurance:\n - Monthly dip sampling of plans;\n",
    )
    responses = draft["recommendations"][0]["responses"]
    by_agency = {r["agency"]: r for r in responses}
    assert list(by_agency) == [None, POLICE, SOLENT, COUNCIL]
    police = by_agency[POLICE]["actions"]
    assert [a["status"] for a in police] == ["done", "in_progress"]
    council = by_agency[COUNCIL]
    assert council["text"].splitlines()[-1] == "  - Monthly dip sampling of plans;"
    assert council["actions"][-1] == {
        "text": "Monthly dip sampling of plans",
        "status": "done",
        "due": None,
    }


def test_document_date_anchors_relative_timescales(
    tmp_path: Path, agencies: list[AgencyName]
) -> None:
    draft = _parse(
        tmp_path,
        agencies,
        "Review\n\nPublished: 12 March 2021\n\nRecommendation 1: Review chairs.\n\n"
        "A review will be undertaken within the next 4 months.\n",
    )
    action = draft["recommendations"][0]["responses"][0]["actions"][0]
    assert action["due"] == "2021-07-12"
    assert draft["unparsed"] == []


def test_page_break_inside_a_sentence_is_rejoined(
    tmp_path: Path, agencies: list[AgencyName]
) -> None:
    draft = _parse(
        tmp_path,
        agencies,
        "Recommendation 1\n\nShare learning.\n\nStaff were recruited by\n\n"
        "Children's Social Care to help, in relation\n\nto training.\n",
    )
    response = draft["recommendations"][0]["responses"][0]
    assert (
        response["text"]
        == "Staff were recruited by Children's Social Care to help, in relation to training."
    )


def test_recommendation_without_text_is_reported(
    tmp_path: Path, agencies: list[AgencyName]
) -> None:
    draft = _parse(tmp_path, agencies, "Recommendation 1\n\nRecommendation 2\n\nDo things.\n")
    assert draft["recommendations"][0]["text"] == ""
    assert {
        "where": "line 1",
        "text": "Recommendation 1",
        "reason": "recommendation has no text",
    } in (draft["unparsed"])


def test_document_without_recommendations_keeps_its_text(
    tmp_path: Path, agencies: list[AgencyName]
) -> None:
    draft = _parse(tmp_path, agencies, "A title\n\nJust some prose.\n\nENDS\n")
    assert draft["recommendations"] == []
    assert draft["title"] == "A title"
    assert [u["text"] for u in draft["unparsed"]] == ["Just some prose.", "ENDS"]


def test_windows_1252_text_is_read(tmp_path: Path, agencies: list[AgencyName]) -> None:
    path = tmp_path / "old.txt"
    path.write_bytes("Recommendation 1: Children’s plans.\n".encode("cp1252"))
    draft = parse_document(path, agencies)
    assert draft.recommendations[0].text == "Children’s plans."
