"""Rule 2884: A conference recorded with both the enquiry and the episode."""

from assure.casedata.tests.cinrules.builders import assessment, child, episode, failing, plan, s47


def test_same_conference_at_both_levels_fails():
    both = episode(assessment(), s47(), plan(), icpc="2024-05-20")
    assert failing("2884", child(both)) == ["C1"]


def test_conference_at_one_level_passes():
    assert failing("2884", child(episode(assessment(), plan(), icpc="2024-05-20"))) == []
    assert failing("2884", child()) == []
