"""Rule 8870Q: A conference target date at a weekend."""

from assure.casedata.tests.cinrules.builders import assessment, child, episode, failing, plan, s47


def test_target_on_a_saturday_is_a_query():
    # 25 May 2024 was a Saturday.
    weekend = episode(assessment(), s47(target="2024-05-25"), plan())
    assert failing("8870Q", child(weekend)) == ["C1"]


def test_target_on_a_friday_passes():
    assert failing("8870Q", child(episode(assessment(), s47(target="2024-05-24"), plan()))) == []
