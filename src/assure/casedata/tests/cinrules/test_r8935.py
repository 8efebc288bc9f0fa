"""Rule 8935: More than one open plan for a child."""

from assure.casedata.tests.cinrules.builders import child, episode, failing


def test_two_open_plans_in_two_episodes_fail():
    second = episode(referral="2024-09-02")
    assert failing("8935", child(episode(), second)) == ["C1"]


def test_one_open_plan_passes():
    assert failing("8935", child(episode())) == []
