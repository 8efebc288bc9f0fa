"""Rule 4001: An open CIN plan and an open child protection plan in one episode."""

from assure.casedata.tests.cinrules.builders import (
    assessment,
    child,
    cin_plan,
    episode,
    failing,
    plan,
    s47,
)


def test_both_plans_open_fails():
    both = episode(assessment(), cin_plan("2024-05-13"), s47(), plan())
    assert failing("4001", child(both)) == ["C1"]


def test_cin_plan_ended_passes():
    ended = episode(assessment(), cin_plan("2024-05-13", "2024-05-20"), s47(), plan())
    assert failing("4001", child(ended)) == []
