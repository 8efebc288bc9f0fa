"""Rule 8841: A review on or before the plan's start."""

from assure.casedata.tests.cinrules.builders import child, episode, failing, plan


def test_review_on_the_start_day_fails():
    assert failing("8841", child(episode(plan(reviews=("2024-05-20",))))) == ["C1"]


def test_review_before_the_start_fails_and_after_passes():
    assert failing("8841", child(episode(plan(reviews=("2024-05-10", "2024-08-20"))))) == ["C1"]
    assert failing("8841", child(episode(plan(reviews=("2024-05-21",))))) == []
