"""Rule 8565: Activity after the episode was closed."""

from assure.casedata.tests.cinrules.builders import assessment, child, episode, failing, plan, s47


def test_plan_ending_after_the_closure_fails():
    late = episode(assessment(), s47(), plan(end="2024-09-02"), closure="2024-09-01")
    assert failing("8565", child(late)) == ["C1"]


def test_everything_on_or_before_the_closure_passes():
    closed = episode(assessment(), s47(), plan(end="2024-09-02"), closure="2024-09-02")
    assert failing("8565", child(closed)) == []
