"""Rule 8839: Two open section 47 enquiries in one episode."""

from assure.casedata.tests.cinrules.builders import assessment, child, episode, failing, s47


def test_two_enquiries_without_conference_or_decision_fail():
    waiting = s47(icpc="", target="")
    also_waiting = s47(start="2024-06-03", icpc="", target="")
    assert failing("8839", child(episode(assessment(), waiting, also_waiting))) == ["C1"]


def test_one_open_and_one_ruled_out_pass():
    ruled_out = s47(start="2024-06-03", icpc="", target="", not_required="true")
    assert failing("8839", child(episode(assessment(), s47(icpc=""), ruled_out))) == []
