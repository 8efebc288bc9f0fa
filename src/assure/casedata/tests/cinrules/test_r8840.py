"""Rule 8840: A plan starting and ending the same day."""

from assure.casedata.tests.cinrules.builders import child, episode, failing, plan


def test_plan_ending_the_day_it_starts_fails():
    assert failing("8840", child(episode(plan(end="2024-05-20")))) == ["C1"]


def test_plan_ending_the_next_day_passes():
    assert failing("8840", child(episode(plan(end="2024-05-21", reviews=())))) == []
