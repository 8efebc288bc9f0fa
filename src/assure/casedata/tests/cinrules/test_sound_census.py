"""The builders' sound children break none of the rules, so each rule's test changes one thing."""

from assure.casedata.cinrules import CODES, check_census, rules
from assure.casedata.tests.cinrules.builders import assessment, census, child, episode


def test_every_rule_has_its_module_and_severity_from_its_code():
    assert [r.code for r in rules()] == list(CODES)
    assert len(CODES) == 43
    queries = {r.code for r in rules() if r.severity == "query"}
    assert queries == {"8842Q", "8870Q", "8873Q", "2991Q", "4009Q", "8675Q", "8775Q"}


def test_a_sound_census_breaks_no_rule():
    closed_after_assessment = episode(
        assessment(start="2024-06-03", authorised="2024-06-14", factors=("21",)),
        referral="2024-06-03",
        closure="2024-06-20",
        reason="RC8",
    )
    sound = census(
        child(upn="A123456789012"),
        child(closed_after_assessment, id="C2", upn="B123456789012"),
    )
    assert check_census(sound) == []
