"""Rule 8842Q: A review element without a date."""

from assure.casedata.tests.cinrules.builders import child, episode, failing, plan


def test_review_without_a_date_is_a_query():
    assert failing("8842Q", child(episode(plan(reviews=("2024-08-20", ""))))) == ["C1"]


def test_dated_reviews_pass():
    assert failing("8842Q", child(episode(plan(reviews=("2024-08-20",))))) == []
