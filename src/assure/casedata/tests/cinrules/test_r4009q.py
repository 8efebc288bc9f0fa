"""Rule 4009Q: A CIN plan ending after the child's death."""

from assure.casedata.tests.cinrules.builders import assessment, child, cin_plan, episode, failing


def test_cin_plan_ending_after_death_is_a_query():
    plan_ended = episode(assessment(), cin_plan("2024-05-13", "2024-07-01"))
    assert failing("4009Q", child(plan_ended, death="2024-06-30")) == ["C1"]


def test_cin_plan_ending_on_the_day_of_death_passes():
    plan_ended = episode(assessment(), cin_plan("2024-05-13", "2024-06-30"))
    assert failing("4009Q", child(plan_ended, death="2024-06-30")) == []
