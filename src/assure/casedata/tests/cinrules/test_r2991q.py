"""Rule 2991Q: A section 47 enquiry in an episode without an assessment."""

from assure.casedata.tests.cinrules.builders import assessment, child, episode, failing, plan, s47


def test_enquiry_without_assessment_is_a_query():
    assert failing("2991Q", child(episode(s47(), plan()))) == ["C1"]


def test_enquiry_with_assessment_passes():
    assert failing("2991Q", child(episode(assessment(), s47(), plan()))) == []
