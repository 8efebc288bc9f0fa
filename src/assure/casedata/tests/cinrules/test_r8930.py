"""Rule 8930: A plan's end date outside the census year."""

from assure.casedata.tests.cinrules.builders import assessment, child, episode, failing, plan, s47


def _ending(end: str) -> str:
    return child(episode(assessment(), s47(), plan(end=end)))


def test_plan_ending_after_the_reference_date_or_before_the_year_fails():
    assert failing("8930", _ending("2025-04-01")) == ["C1"]
    assert failing("8930", _ending("2024-09-02"), reference="2026-03-31") == ["C1"]


def test_plan_ending_on_the_years_first_and_last_days_passes():
    assert failing("8930", _ending("2025-03-31")) == []
    assert failing("8930", _ending("2025-04-01"), reference="2026-03-31") == []
