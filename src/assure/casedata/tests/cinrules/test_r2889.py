"""Rule 2889: A section 47 enquiry starting before the referral."""

from assure.casedata.tests.cinrules.builders import assessment, child, episode, failing, s47


def test_enquiry_before_the_referral_fails():
    early = s47(start="2024-04-30", icpc="", not_required="true", target="")
    assert failing("2889", child(episode(assessment(), early))) == ["C1"]


def test_enquiry_on_the_referral_day_passes():
    same_day = s47(start="2024-05-01", icpc="", not_required="true", target="")
    assert failing("2889", child(episode(assessment(), same_day))) == []
