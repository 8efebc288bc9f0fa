"""Rule 8868: A closed episode with an unresolved section 47 enquiry."""

from assure.casedata.tests.cinrules.builders import assessment, child, episode, failing, s47


def test_closed_episode_with_enquiry_neither_conferenced_nor_ruled_out_fails():
    unresolved = s47(icpc="", target="")
    assert failing("8868", child(episode(assessment(), unresolved, closure="2024-06-30"))) == ["C1"]


def test_closed_episode_with_enquiry_both_conferenced_and_ruled_out_fails():
    both = s47(not_required="true")
    assert failing("8868", child(episode(assessment(), both, closure="2024-06-30"))) == ["C1"]


def test_closed_episode_with_resolved_enquiries_passes():
    ruled_out = s47(icpc="", target="", not_required="true")
    closed = episode(assessment(), s47(), ruled_out, closure="2024-06-30")
    assert failing("8868", child(closed)) == []
