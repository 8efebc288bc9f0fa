"""Rule 8615: A conferenced enquiry without a start, or starting after its conference."""

from assure.casedata.tests.cinrules.builders import assessment, child, episode, failing, plan, s47


def test_enquiry_with_conference_but_no_start_fails():
    assert failing("8615", child(episode(assessment(), s47(start=""), plan()))) == ["C1"]


def test_enquiry_starting_after_its_conference_fails():
    assert failing("8615", child(episode(assessment(), s47(start="2024-05-21"), plan()))) == ["C1"]


def test_enquiry_starting_on_the_conference_day_passes():
    assert failing("8615", child(episode(assessment(), s47(start="2024-05-20"), plan()))) == []
