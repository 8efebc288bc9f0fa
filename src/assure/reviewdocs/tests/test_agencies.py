"""Matching agency names and aliases."""

from __future__ import annotations

from assure.reviewdocs import AgencyName
from assure.reviewdocs.agencies import AgencyMatcher

from .conftest import BRS, COUNCIL, ICB, POLICE, UHS


def test_longest_alias_wins(agencies: list[AgencyName]) -> None:
    matcher = AgencyMatcher(agencies)
    assert matcher.first("Southampton City Clinical Commissioning Group said") == ICB
    assert matcher.first("The SCCG commissioner") == ICB
    assert matcher.first("SCC officers") == COUNCIL


def test_case_and_apostrophes_are_ignored(agencies: list[AgencyName]) -> None:
    matcher = AgencyMatcher(agencies)
    assert matcher.first("southampton city council’s children’s services") == COUNCIL
    assert matcher.first("CHILDRENS SOCIAL CARE have led") == COUNCIL
    assert matcher.first("Children's Social Care") == COUNCIL


def test_nhs_foundation_trust_variants(agencies: list[AgencyName]) -> None:
    matcher = AgencyMatcher(agencies)
    assert matcher.cell("University Hospital Southampton Foundation Trust") == UHS
    assert matcher.cell("University Hospital Southampton NHS Foundation Trust") == UHS
    one = AgencyMatcher([AgencyName("Some Hospital Foundation Trust")])
    assert one.cell("Some Hospital NHS Foundation Trust") == "Some Hospital Foundation Trust"


def test_at_start_and_whole_words(agencies: list[AgencyName]) -> None:
    matcher = AgencyMatcher(agencies)
    assert matcher.at_start("The Building Resilience Service (BRS)") == BRS
    assert matcher.at_start("Hampshire Constabulary has links") == POLICE
    assert matcher.at_start("Links with Hampshire Constabulary") is None
    assert matcher.first("Policeman") is None
    assert matcher.first("nothing here") is None


def test_no_agencies_matches_nothing() -> None:
    assert AgencyMatcher([]).first("Hampshire Constabulary") is None
