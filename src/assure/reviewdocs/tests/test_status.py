"""Status from language and from RAG/progress cells."""

from __future__ import annotations

import pytest

from assure.reviewdocs.status import cell_status, classify, rag_status, reads_as_past_report


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The actions have all been actioned.", "done"),
        ("The audit has been completed.", "done"),
        ("A new protocol has been implemented.", "done"),
        ("Additional chairs are now in place.", "done"),
        ("This scenario was rectified by a triage hub.", "done"),
        ("Developed a weekly tracker.", "done"),
        ("The team implemented a tracker.", "done"),
        ("The service specification has been updated and clarified.", "done"),
        ("Work is underway with key agencies.", "in_progress"),
        ("The framework is being reviewed.", "in_progress"),
        ("There is ongoing work to ensure timely recording.", "in_progress"),
        ("The document is currently being redrafted.", "in_progress"),
        ("Solent NHS Trust will continue to disseminate learning.", "in_progress"),
        ("A review will be undertaken within the next 4 months.", "planned"),
        ("An audit is planned for autumn 2020.", "planned"),
        ("Training is to be undertaken next year.", "planned"),
        ("Cases that have been identified will be tracked.", "planned"),
        ("The board met on Tuesday.", "unknown"),
        ("Items that have not yet been addressed are listed.", "unknown"),
        ("There was an unprecedented increase in referrals.", "unknown"),
        ("It is not currently mandatory.", "unknown"),
    ],
)
def test_classify(sentence: str, expected: str) -> None:
    assert classify(sentence) == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("Complete", "done"),
        ("Completed", "done"),
        ("GREEN", "done"),
        ("Done", "done"),
        ("Blue", "done"),
        ("Amber", "in_progress"),
        ("In progress", "in_progress"),
        ("Ongoing", "in_progress"),
        ("On track", "in_progress"),
        ("Not started", "planned"),
        ("Red", "planned"),
        ("Planned", "planned"),
        ("Incomplete?", None),
        ("Awaiting update", None),
    ],
)
def test_rag_status(cell: str, expected: str | None) -> None:
    assert rag_status(cell) == expected


def test_cell_status_falls_back_to_language() -> None:
    assert cell_status("Training has been delivered", "Deliver training") == "done"
    assert cell_status("", "Training will be delivered") == "planned"
    assert cell_status("Awaiting update", "Deliver training") == "unknown"


@pytest.mark.parametrize(
    ("sentence", "past"),
    [
        ("This scenario has been rectified by the implementation of a triage hub.", True),
        ("A briefing for designated safeguarding leads was completed in May 2024.", True),
        ("Previously, this document has been shared with the investigation teams.", True),
        ("Additional child protection chairs are now in place on fixed term contracts.", False),
        ("A range of reflective supervision and learning circles are in place.", False),
        ("Decisions by Team Managers are recorded in supervision.", False),
        ("Mid-way tracking for all conferences, where issues were identified by chairs.", False),
        ("The policy will be reviewed and the results were shared.", False),  # planned
        ("The service is currently being redrafted.", False),
    ],
)
def test_past_reports_are_told_from_commitments(sentence: str, past: bool) -> None:
    assert reads_as_past_report(sentence) is past
