"""Rule 4016: A CIN plan starting during a child protection plan."""

from assure.casedata.tests.cinrules.builders import (
    assessment,
    child,
    cin_plan,
    episode,
    failing,
    plan,
    s47,
)


def test_cin_plan_starting_while_the_protection_plan_is_open_fails():
    during = episode(assessment(), s47(), plan(), cin_plan("2024-07-01"))
    assert failing("4016", child(during)) == ["C1"]


def test_cin_plan_starting_the_day_the_protection_plan_ends_passes():
    after = episode(assessment(), s47(), plan(end="2024-09-02"), cin_plan("2024-09-02"))
    assert failing("4016", child(after)) == []
