"""Rule 8875: A section 47 conference at a weekend."""

from assure.casedata.tests.cinrules.builders import assessment, child, episode, failing, plan, s47


def test_conference_on_a_sunday_fails():
    # 19 May 2024 was a Sunday.
    sunday = episode(assessment(), s47(icpc="2024-05-19"), plan(start="2024-05-19"))
    assert failing("8875", child(sunday)) == ["C1"]


def test_conference_on_a_monday_passes():
    assert failing("8875", child()) == []
