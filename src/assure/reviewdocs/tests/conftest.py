"""Fixtures: the seed partnership's agencies and the seed document."""

from __future__ import annotations

from pathlib import Path

import pytest

from assure.reviewdocs import AgencyName

REPO_ROOT = Path(__file__).resolve().parents[4]
SEED_FILE = REPO_ROOT.parent / "shared" / "seed" / "000_356fc40ea17f5f0d.txt"

COUNCIL = "Southampton City Council children's services"
POLICE = "Hampshire Constabulary"
SOLENT = "Solent NHS Trust"
UHS = "University Hospital Southampton NHS Foundation Trust"
ICB = "Hampshire and Isle of Wight ICB and primary care"
EDUCATION = "Education"
BRS = "Building Resilience Service"


@pytest.fixture
def agencies() -> list[AgencyName]:
    """The agencies of the partnership in the seed document."""
    return [
        AgencyName(
            COUNCIL,
            ("Southampton City Council", "Children's Services", "SCC", "Children's Social Care"),
        ),
        AgencyName(POLICE, ("Police", "Hampshire Police")),
        AgencyName(SOLENT, ("Solent",)),
        AgencyName(UHS, ("University Hospital Southampton Foundation Trust", "UHS", "UHSFT")),
        AgencyName(
            ICB,
            (
                "ICB",
                "Primary Care",
                "Southampton City Clinical Commissioning Group",
                "Southampton Clinical Commissioning Group",
                "CCG",
                "SCCG",
            ),
        ),
        AgencyName(EDUCATION, ("Schools", "Education professionals")),
        AgencyName(BRS, ("BRS", "Behaviour Resource Service")),
    ]


@pytest.fixture
def seed_file() -> Path:
    """The seed review response (shared/seed beside the repository)."""
    if not SEED_FILE.is_file():
        pytest.skip(f"seed document not found at {SEED_FILE} (shared/ is not beside the repo)")
    return SEED_FILE
