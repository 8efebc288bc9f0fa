"""Rule 4003: A protection plan review while a CIN plan is open."""

from assure.casedata.tests.cinrules.builders import (
    assessment,
    child,
    cin_plan,
    episode,
    failing,
    plan,
    s47,
)


def test_review_during_a_cin_plan_fails():
    during = episode(assessment(), s47(), plan(), cin_plan("2024-08-01", "2024-09-01"))
    assert failing("4003", child(during)) == ["C1"]


def test_review_on_the_plans_end_day_passes():
    stepped_down = plan(end="2024-08-20")
    handover = episode(assessment(), s47(), stepped_down, cin_plan("2024-08-20"))
    assert failing("4003", child(handover)) == []
