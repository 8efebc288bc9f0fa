"""Published reviews: numbered lists among numbered headings, page furniture, later responses."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from assure.reviewdocs import parse_document

from . import published
from .published import COUNCIL, HEALTH, POLICE, SCHOOLS

WRITERS: dict[str, Callable[[Path], Path]] = {
    "review.txt": published.write_text,
    "review.pdf": published.write_pdf,
    "review.docx": published.write_docx,
}


@pytest.fixture(params=sorted(WRITERS))
def draft(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, Any]:
    path = WRITERS[request.param](tmp_path / request.param)
    return parse_document(path, published.AGENCIES).to_json()


def _responses(draft: dict[str, Any], number: int) -> dict[str | None, list[str]]:
    rec = next(r for r in draft["recommendations"] if r["number"] == number)
    return {r["agency"]: [a["text"] for a in r["actions"]] for r in rec["responses"]}


def test_the_numbered_list_is_found_among_numbered_headings(draft: dict[str, Any]) -> None:
    assert draft["title"] == "Learning from the review of Child M"
    assert [(r["number"], r["text"][:40]) for r in draft["recommendations"]] == [
        (1, "The partnership should make sure that le"),
        (2, "Eastmoor Police and Children's Services "),
        (3, "Eastmoor Community Health NHS Trust shou"),
        (4, "The partnership should seek assurance th"),
    ]
    assert draft["recommendations"][1]["text"].endswith("are recorded and shared.")


def test_headers_footers_and_page_numbers_are_left_out(draft: dict[str, Any]) -> None:
    everything = str(draft)
    assert "Eastmoor Safeguarding Children Partnership" not in everything
    assert "Page 2 of 3" not in everything
    unparsed = [item["text"] for item in draft["unparsed"]]
    assert "2.2 Analysis" in unparsed, "a numbered heading is not a recommendation"
    assert "6. Conclusion" in unparsed, "text after the last response is kept, not credited"


def test_responses_are_found_by_their_reference_to_the_number(draft: dict[str, Any]) -> None:
    assert _responses(draft, 1) == {
        None: [
            "A learning briefing has been shared with all agencies.",
            "The partnership will hold two practitioner events by September 2024.",
        ]
    }
    assert _responses(draft, 3) == {
        HEALTH: [
            "The health trust has added a question about domestic abuse to the contact record.",
            "It will train health visitors in its use by March 2025.",
        ]
    }


def test_each_sentence_goes_to_the_agency_it_names(draft: dict[str, Any]) -> None:
    assert _responses(draft, 2) == {
        POLICE: ["Eastmoor Police will update the strategy discussion record within three months."],
        COUNCIL: [
            "Children's Services will audit twenty strategy discussions by December 2024.",
            "The audit findings will be reported to the strategic leads.",  # continues
        ],
    }
    assert _responses(draft, 4) == {
        None: [
            "A briefing for designated safeguarding leads was completed in May 2024.",
            "The learning group will review the results in spring 2025.",  # the partnership
        ],
        SCHOOLS: ["Eastmoor schools will include escalation in their annual safeguarding audit."],
    }


def test_relative_dates_count_from_the_publication_date(draft: dict[str, Any]) -> None:
    rec = next(r for r in draft["recommendations"] if r["number"] == 2)
    police = next(r for r in rec["responses"] if r["agency"] == POLICE)
    assert police["actions"][0]["due"] == "2024-09-03"  # 3 June 2024 + three months


def test_a_response_that_commits_to_nothing_still_gives_an_action(tmp_path: Path) -> None:
    path = tmp_path / "review.txt"
    path.write_text(
        "Recommendations\n\n1. Seek assurance that plans are monitored.\n\n"
        "Response to recommendation 1\n\n"
        "Plans are monitored by the learning group on behalf of the partnership. "
        "This keeps agencies accountable.\n",
        encoding="utf-8",
    )
    (rec,) = parse_document(path, published.AGENCIES).to_json()["recommendations"]
    assert [a["text"] for r in rec["responses"] for a in r["actions"]] == [
        "Plans are monitored by the learning group on behalf of the partnership. "
        "This keeps agencies accountable."
    ]


def test_text_without_form_feeds_is_paged_by_its_page_numbers(tmp_path: Path) -> None:
    header = "Westvale Safeguarding Children Partnership"
    path = tmp_path / "review.txt"
    path.write_text(
        f"{header}\n\nReview of Child P\n\nRecommendations\n\n"
        "1. Agencies should share plans with schools.\n\nPage 1 of 2\n"
        f"{header}\n\n2. The police should record strategy discussions.\n\n"
        "Eastmoor Police will audit strategy discussions.\n\nPage 2 of 2\n",
        encoding="utf-8",
    )
    draft = parse_document(path, published.AGENCIES).to_json()
    assert draft["title"] == "Review of Child P"
    assert [(r["number"], r["text"]) for r in draft["recommendations"]] == [
        (1, "Agencies should share plans with schools."),
        (2, "The police should record strategy discussions."),
    ]
    assert header not in str(draft)
    assert "Page" not in str(draft)
