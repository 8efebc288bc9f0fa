"""Rule 8775Q: A child over 25."""

from assure.casedata.tests.cinrules.builders import assessment, child, episode, failing


def test_person_over_25_with_an_open_episode_is_a_query():
    assert failing("8775Q", child(episode(assessment()), birth="1999-03-31")) == ["C1"]


def test_person_just_under_25_or_whose_episode_closed_before_passes():
    assert failing("8775Q", child(episode(assessment()), birth="2000-04-01")) == []
    closed = episode(assessment(), closure="2024-05-31", reason="RC1")
    assert failing("8775Q", child(closed, birth="1999-06-01")) == []
