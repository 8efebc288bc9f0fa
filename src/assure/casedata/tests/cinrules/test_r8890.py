"""Rule 8890: A section 47 enquiry starting while another is ongoing."""

from assure.casedata.tests.cinrules.builders import assessment, child, episode, failing, plan, s47


def test_enquiry_starting_before_the_others_conference_fails():
    second = s47(start="2024-05-10", target="2024-05-31", icpc="2024-05-30")
    assert failing("8890", child(episode(assessment(), s47(), second, plan()))) == ["C1"]


def test_enquiry_starting_while_another_awaits_its_conference_fails():
    waiting = s47(icpc="", target="")
    later = s47(start="2024-09-02", target="2024-09-20", icpc="", not_required="true")
    assert failing("8890", child(episode(assessment(), waiting, later))) == ["C1"]


def test_enquiry_starting_after_the_others_conference_passes():
    second = s47(start="2024-06-03", target="2024-06-21", icpc="", not_required="true")
    assert failing("8890", child(episode(assessment(), s47(), second, plan()))) == []
