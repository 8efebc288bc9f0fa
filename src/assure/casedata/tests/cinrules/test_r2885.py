"""Rule 2885: A plan not starting on the day of a conference in its episode."""

from assure.casedata.tests.cinrules.builders import assessment, child, episode, failing, plan, s47


def test_plan_starting_the_day_after_the_conference_fails():
    assert failing("2885", child(episode(assessment(), s47(), plan(start="2024-05-21")))) == ["C1"]


def test_plan_starting_at_the_episodes_conference_passes():
    assert failing("2885", child(episode(assessment(), plan(), icpc="2024-05-20"))) == []


def test_plan_starting_before_the_census_year_is_not_checked():
    earlier = episode(assessment(), plan(start="2024-03-01"), referral="2024-02-01")
    assert failing("2885", child(earlier)) == []
