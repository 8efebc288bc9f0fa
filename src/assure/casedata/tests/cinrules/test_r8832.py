"""Rule 8832: A plan for a referral marked no further action."""

from assure.casedata.tests.cinrules.builders import child, episode, failing, plan


def test_plan_in_an_episode_marked_no_further_action_fails():
    assert failing("8832", child(episode(plan(), nfa="true"))) == ["C1"]


def test_plan_in_an_ordinary_episode_passes():
    assert failing("8832", child(episode(plan(), nfa="false"))) == []
