"""Rule 2990: Activity in an episode closed after assessment."""

from assure.casedata.tests.cinrules.builders import assessment, child, episode, failing, s47


def test_enquiry_in_an_episode_closed_rc9_fails():
    closed = episode(
        assessment(),
        s47(icpc="", target="", not_required="true"),
        closure="2024-06-30",
        reason="RC9",
    )
    assert failing("2990", child(closed)) == ["C1"]


def test_assessment_only_episode_closed_rc8_passes():
    closed = episode(assessment(), closure="2024-06-30", reason="RC8")
    assert failing("2990", child(closed)) == []
