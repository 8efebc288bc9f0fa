"""The seed document: the partnership response to the Freddie serious case review."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from assure.reviewdocs import AgencyName, parse_document

from .conftest import BRS, COUNCIL, EDUCATION, ICB, POLICE, SOLENT, UHS


@pytest.fixture
def seed(seed_file: Path, agencies: list[AgencyName]) -> dict[str, Any]:
    return parse_document(seed_file, agencies).to_json()


def _rec(seed: dict[str, Any], number: int) -> dict[str, Any]:
    return next(r for r in seed["recommendations"] if r["number"] == number)


def _actions(seed: dict[str, Any], number: int, agency: str | None) -> list[dict[str, Any]]:
    for response in _rec(seed, number)["responses"]:
        if response["agency"] == agency:
            return list(response["actions"])
    raise AssertionError(f"no response by {agency} to recommendation {number}")


def _action(seed: dict[str, Any], number: int, agency: str | None, words: str) -> dict[str, Any]:
    return next(a for a in _actions(seed, number, agency) if words in a["text"])


def test_title_and_twelve_recommendations(seed: dict[str, Any]) -> None:
    assert seed["title"] == "Freddie Serious Case Review"
    assert [r["number"] for r in seed["recommendations"]] == list(range(1, 13))


@pytest.mark.parametrize(
    ("number", "opening"),
    [
        (1, "To ensure the learning from this Review is disseminated across the multi-agency"),
        (3, "To request information about the consistency of Chairs for Child Protection"),
        (6, "Southampton Children's Services to assure the Safeguarding Partnership"),
        (8, "To raise awareness of the professional challenge and escalation protocol."),
        (12, "The Safeguarding Partnership to review the systems and procedures"),
    ],
)
def test_recommendation_texts(seed: dict[str, Any], number: int, opening: str) -> None:
    assert _rec(seed, number)["text"].startswith(opening)


def test_recommendation_text_is_one_whole_paragraph(seed: dict[str, Any]) -> None:
    assert _rec(seed, 12)["text"].endswith("implemented and embedded in a timely manner.")
    assert _rec(seed, 7)["text"].endswith("assessments and reports commissioned.")


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (1, {ICB, SOLENT, POLICE, EDUCATION, UHS, COUNCIL, BRS}),
        (8, {POLICE, SOLENT, UHS, EDUCATION, COUNCIL}),
        (9, {COUNCIL, POLICE, SOLENT, EDUCATION, UHS, ICB}),
    ],
)
def test_responses_split_by_agency(seed: dict[str, Any], number: int, expected: set[str]) -> None:
    agencies = {r["agency"] for r in _rec(seed, number)["responses"]} - {None}
    assert agencies == expected
    assert len(agencies) >= 5


def test_each_agency_appears_once_per_recommendation(seed: dict[str, Any]) -> None:
    for rec in seed["recommendations"]:
        names = [r["agency"] for r in rec["responses"]]
        assert len(names) == len(set(names))


def test_statuses_and_dates(seed: dict[str, Any]) -> None:
    assert _action(seed, 1, POLICE, "have all been actioned")["status"] == "done"
    assert _action(seed, 1, POLICE, "has been rectified")["status"] == "done"
    chairs = _action(seed, 3, COUNCIL, "permanent child protection chairs needed")
    assert chairs == {
        "text": "A review of the number of permanent child protection chairs needed will be "
        "undertaken within the next 4 months.",
        "status": "planned",
        "due": None,
    }
    audit = _action(
        seed, 8, None, "Keeping Children Safe Partnership audit planned for autumn 2020"
    )
    assert (audit["status"], audit["due"]) == ("planned", "2020-11-30")
    redraft = _action(seed, 8, POLICE, "currently being redrafted")
    assert redraft["status"] == "in_progress"
    assert _action(seed, 4, None, "A review is underway")["status"] == "in_progress"
    report = _action(seed, 12, None, "reported to the main partnership in December 2020")
    assert (report["status"], report["due"]) == ("planned", "2020-12-31")
    assert _action(seed, 1, COUNCIL, "Developed a weekly tracker")["status"] == "done"
    assert _action(seed, 1, SOLENT, "will continue to disseminate")["status"] == "in_progress"


def test_bullets_inherit_the_lead_in_status(seed: dict[str, Any]) -> None:
    develop = _action(seed, 5, COUNCIL, "Develop e-learning modules")
    assert develop["status"] == "in_progress"
    legal = _action(seed, 6, COUNCIL, "Decisions by Team Managers are recorded in supervision")
    assert legal["status"] == "done"


def test_response_text_keeps_bullets(seed: dict[str, Any]) -> None:
    council = next(r for r in _rec(seed, 1)["responses"] if r["agency"] == COUNCIL)
    assert "- Quality Assurance:\n  - Monthly dip- sampling" in council["text"]
    brs = next(r for r in _rec(seed, 1)["responses"] if r["agency"] == BRS)
    assert brs["text"].startswith("- The Building Resilience Service (BRS)\n  - Specification")


def test_nothing_silently_dropped(seed: dict[str, Any]) -> None:
    reasons = [u["reason"] for u in seed["unparsed"]]
    assert reasons.count("introduction before the first recommendation") == 7
    assert seed["unparsed"][-1] == {
        "where": "line 248",
        "text": "ENDS",
        "reason": "end-of-document marker",
    }


def test_every_recommendation_with_a_response_has_an_action(seed: dict[str, Any]) -> None:
    for rec in seed["recommendations"]:
        actions = [a for r in rec["responses"] for a in r["actions"]]
        assert actions, f"recommendation {rec['number']} has a response but no action"
    (monitoring,) = _actions(seed, 2, None)
    assert monitoring["text"].startswith("Individual agency actions identified as part of")
