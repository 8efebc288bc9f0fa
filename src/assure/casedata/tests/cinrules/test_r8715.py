"""Rule 8715: An enquiry's conference outside the census year."""

from assure.casedata.tests.cinrules.builders import assessment, child, episode, failing, plan, s47


def test_conference_before_the_census_year_fails():
    earlier = episode(
        assessment(start="2024-03-01"),
        s47(start="2024-03-04", target="2024-03-22", icpc="2024-03-22"),
        plan(start="2024-03-22"),
        referral="2024-03-01",
    )
    assert failing("8715", child(earlier)) == ["C1"]


def test_conference_on_the_years_first_day_passes():
    first_day = episode(
        assessment(start="2024-03-11"),
        s47(start="2024-03-11", target="2024-04-01", icpc="2024-04-01"),
        plan(start="2024-04-01"),
        referral="2024-03-11",
    )
    assert failing("8715", child(first_day)) == []
