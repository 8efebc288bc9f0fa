"""Rule 8873Q: An only assessment finding no factors, closed for another reason."""

from assure.casedata.tests.cinrules.builders import assessment, child, episode, failing

NOTHING_FOUND = assessment(factors=("21",))


def test_only_assessment_with_no_factors_closed_rc1_is_a_query():
    closed = episode(NOTHING_FOUND, closure="2024-06-30", reason="RC1")
    assert failing("8873Q", child(closed)) == ["C1"]


def test_closed_rc9_or_with_a_second_assessment_passes():
    assert failing("8873Q", child(episode(NOTHING_FOUND, closure="2024-06-30", reason="RC9"))) == []
    two = episode(NOTHING_FOUND, assessment(), closure="2024-06-30", reason="RC1")
    assert failing("8873Q", child(two)) == []
