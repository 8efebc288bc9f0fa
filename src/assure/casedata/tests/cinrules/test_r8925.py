"""Rule 8925: A plan ending before it starts."""

from assure.casedata.tests.cinrules.builders import assessment, child, episode, failing, plan, s47


def test_plan_ending_before_it_starts_fails():
    backwards = plan(end="2024-05-19", reviews=())
    assert failing("8925", child(episode(assessment(), s47(), backwards))) == ["C1"]


def test_plan_ending_after_it_starts_passes():
    assert failing("8925", child(episode(assessment(), s47(), plan(end="2024-09-02")))) == []
