from pathlib import Path

import pytest

from assure.accounts.models import Agency, Partnership, Role, RoleGrant, User
from assure.casedata.tests.extracts import base_tables, write_extract


@pytest.fixture
def partnership(db) -> Partnership:
    return Partnership.objects.create(name="Southampton Safeguarding Children Partnership")


@pytest.fixture
def agency(partnership) -> Agency:
    return Agency.objects.create(
        partnership=partnership,
        name="Children's Services",
        agency_type=Agency.Type.LA_CHILDRENS_SERVICES,
    )


def make_user(agency: Agency, username: str, role: str) -> User:
    user = User.objects.create_user(
        username=username, password="a-long-test-password", agency=agency
    )
    RoleGrant.objects.create(user=user, role=role)
    return user


@pytest.fixture
def admin_user(agency) -> User:
    return make_user(agency, "admin", Role.SYSTEM_ADMINISTRATOR)


@pytest.fixture
def tables() -> dict:
    return base_tables()


@pytest.fixture
def extract(tmp_path, tables) -> Path:
    return write_extract(tmp_path / "extract", tables)
