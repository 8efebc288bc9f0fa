"""Rule 4017: A child protection plan starting during a CIN plan."""

from assure.casedata.tests.cinrules.builders import (
    assessment,
    child,
    cin_plan,
    episode,
    failing,
    plan,
    s47,
)


def test_protection_plan_starting_while_the_cin_plan_is_open_fails():
    during = episode(assessment(), cin_plan("2024-05-13"), s47(), plan())
    assert failing("4017", child(during)) == ["C1"]


def test_protection_plan_starting_the_day_the_cin_plan_ends_passes():
    after = episode(assessment(), cin_plan("2024-05-13", "2024-05-20"), s47(), plan())
    assert failing("4017", child(after)) == []
