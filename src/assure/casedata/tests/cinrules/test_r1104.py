"""Rule 1104: An enquiry's conference before the referral."""

from assure.casedata.tests.cinrules.builders import child, episode, failing


def test_conference_before_the_referral_fails():
    assert failing("1104", child(episode(referral="2024-05-21"))) == ["C1"]


def test_conference_on_the_referral_day_passes():
    assert failing("1104", child(episode(referral="2024-05-20"))) == []
