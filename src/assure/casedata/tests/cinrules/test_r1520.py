"""Rule 1520: Two children with one UPN."""

from assure.casedata.tests.cinrules.builders import child, failing


def test_two_children_sharing_a_upn_both_fail():
    shared = "A123456789012"
    assert failing("1520", child(upn=shared), child(id="C2", upn=shared), child(id="C3")) == [
        "C1",
        "C2",
    ]


def test_different_or_missing_upns_pass():
    assert failing("1520", child(upn="A123456789012"), child(id="C2", upn="B123456789012")) == []
    assert failing("1520", child(), child(id="C2")) == []
