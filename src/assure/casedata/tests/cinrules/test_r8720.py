"""Rule 8720: A plan without a start date, or starting after the reference date."""

from assure.casedata.tests.cinrules.builders import assessment, child, episode, failing, plan, s47


def test_plan_without_start_fails():
    assert failing("8720", child(episode(assessment(), s47(), plan(start="")))) == ["C1"]


def test_plan_starting_after_the_reference_date_fails():
    assert failing("8720", child(), reference="2024-05-19") == ["C1"]


def test_plan_starting_on_the_reference_date_passes():
    assert failing("8720", child(), reference="2024-05-20") == []
