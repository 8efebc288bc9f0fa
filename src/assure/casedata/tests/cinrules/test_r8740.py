"""Rule 8740: An enquiry still awaiting its conference that started before the year."""

from assure.casedata.tests.cinrules.builders import assessment, child, episode, failing, s47


def _waiting(start: str) -> str:
    return child(
        episode(assessment(start=start), s47(start=start, target="", icpc=""), referral=start)
    )


def test_awaiting_enquiry_started_before_the_year_fails():
    assert failing("8740", _waiting("2024-03-28")) == ["C1"]


def test_awaiting_enquiry_started_in_the_year_passes():
    assert failing("8740", _waiting("2024-04-01")) == []
