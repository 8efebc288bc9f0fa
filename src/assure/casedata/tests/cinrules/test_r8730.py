"""Rule 8730: A plan without the number of previous plans."""

from assure.casedata.tests.cinrules.builders import assessment, child, episode, failing, plan, s47


def test_missing_or_negative_count_fails():
    assert failing("8730", child(episode(assessment(), s47(), plan(previous="")))) == ["C1"]
    assert failing("8730", child(episode(assessment(), s47(), plan(previous="-1")))) == ["C1"]


def test_a_count_passes():
    assert failing("8730", child(episode(assessment(), s47(), plan(previous="3")))) == []
