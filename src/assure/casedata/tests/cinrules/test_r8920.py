"""Rule 8920: A plan ending after the child's death."""

from assure.casedata.tests.cinrules.builders import assessment, child, episode, failing, plan, s47

ENDED = episode(assessment(), s47(), plan(end="2024-09-02"))


def test_plan_ending_after_death_fails():
    assert failing("8920", child(ENDED, death="2024-09-01")) == ["C1"]


def test_plan_ending_on_the_day_of_death_passes():
    assert failing("8920", child(ENDED, death="2024-09-02")) == []
