"""Rule 8896: Two open assessments in one episode."""

from assure.casedata.tests.cinrules.builders import assessment, child, episode, failing


def test_two_unauthorised_assessments_fail():
    two = episode(assessment(authorised=""), assessment(start="2024-06-01", authorised=""))
    assert failing("8896", child(two)) == ["C1"]


def test_one_open_and_one_authorised_pass():
    assert failing("8896", child(episode(assessment(authorised=""), assessment()))) == []
