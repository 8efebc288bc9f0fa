"""Rule 8675Q: An enquiry with no conference although 15 working days have passed."""

from assure.casedata.tests.cinrules.builders import assessment, child, episode, failing, s47


def _waiting(start: str) -> str:
    return child(
        episode(assessment(start=start), s47(start=start, target="", icpc=""), referral=start)
    )


def test_enquiry_started_long_before_the_year_end_is_a_query():
    # From Mon 3 Mar 2025 the 15th working day is Mon 24 Mar, before 31 Mar.
    assert failing("8675Q", _waiting("2025-03-03")) == ["C1"]


def test_enquiry_started_within_15_working_days_of_the_year_end_passes():
    # From Mon 10 Mar 2025 the 15th working day is Mon 31 Mar: not before the reference date.
    assert failing("8675Q", _waiting("2025-03-10")) == []
