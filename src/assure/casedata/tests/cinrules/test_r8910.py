"""Rule 8910: Latest category of abuse missing or unknown."""

from assure.casedata.tests.cinrules.builders import assessment, child, episode, failing, plan, s47


def test_missing_or_unknown_latest_category_fails():
    assert failing("8910", child(episode(assessment(), s47(), plan(latest="")))) == ["C1"]
    assert failing("8910", child(episode(assessment(), s47(), plan(latest="neg")))) == ["C1"]


def test_a_known_latest_category_passes():
    assert failing("8910", child(episode(assessment(), s47(), plan(latest="EMO")))) == []
