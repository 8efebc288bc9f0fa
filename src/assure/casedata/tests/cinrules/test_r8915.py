"""Rule 8915: A plan starting after the child's death."""

from assure.casedata.tests.cinrules.builders import child, failing


def test_plan_starting_after_death_fails():
    assert failing("8915", child(death="2024-05-19")) == ["C1"]


def test_plan_starting_on_the_day_of_death_passes():
    assert failing("8915", child(death="2024-05-20")) == []
