"""Rule 1105: A plan starting before the referral."""

from assure.casedata.tests.cinrules.builders import assessment, child, episode, failing, plan


def test_plan_before_the_referral_fails():
    assert failing("1105", child(episode(assessment(), plan(start="2024-04-30")))) == ["C1"]


def test_plan_on_the_referral_day_passes():
    assert failing("1105", child(episode(assessment(), plan(start="2024-05-01")))) == []
