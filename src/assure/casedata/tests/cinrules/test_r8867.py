"""Rule 8867: A closed episode with an assessment not authorised."""

from assure.casedata.tests.cinrules.builders import assessment, child, episode, failing


def test_closed_episode_with_open_assessment_fails():
    open_assessment = assessment(authorised="")
    assert failing("8867", child(episode(open_assessment, closure="2024-06-30"))) == ["C1"]


def test_open_episode_with_open_assessment_passes():
    assert failing("8867", child(episode(assessment(authorised="")))) == []
    assert failing("8867", child(episode(assessment(), closure="2024-06-30"))) == []
