"""Rule 8831: Activity in an episode whose referral was no further action."""

from assure.casedata.tests.cinrules.builders import assessment, child, episode, failing


def test_assessment_after_a_referral_marked_no_further_action_fails():
    assert failing("8831", child(episode(assessment(), nfa="true"))) == ["C1"]


def test_conference_after_a_referral_marked_no_further_action_fails():
    assert failing("8831", child(episode("", icpc="2024-05-20", nfa="1"))) == ["C1"]


def test_referral_with_no_further_action_and_nothing_after_passes():
    empty = episode("", closure="2024-05-01", reason="RC8", nfa="true")
    assert failing("8831", child(empty)) == []
