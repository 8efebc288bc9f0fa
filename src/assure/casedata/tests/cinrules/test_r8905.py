"""Rule 8905: Initial category of abuse missing or unknown."""

from assure.casedata.tests.cinrules.builders import assessment, child, episode, failing, plan, s47


def test_missing_or_unknown_initial_category_fails():
    assert failing("8905", child(episode(assessment(), s47(), plan(initial="")))) == ["C1"]
    assert failing("8905", child(episode(assessment(), s47(), plan(initial="XYZ")))) == ["C1"]


def test_a_known_initial_category_passes():
    assert failing("8905", child(episode(assessment(), s47(), plan(initial="MUL")))) == []
