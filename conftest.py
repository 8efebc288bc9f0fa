"""Fixtures shared by every test: a partnership, its agencies and people holding roles."""

from collections.abc import Callable

import pytest

from assure.accounts.models import Agency, Partnership, Role, RoleGrant, User
from assure.accounts.services import ensure_partnership_agency

TEST_PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def partnership(db: None) -> Partnership:
    return Partnership.objects.create(name="Testshire Safeguarding Children Partnership")


@pytest.fixture
def council(partnership: Partnership) -> Agency:
    return Agency.objects.create(
        partnership=partnership,
        name="Testshire children's services",
        agency_type=Agency.Type.LA_CHILDRENS_SERVICES,
        aliases=["Children's Services"],
    )


@pytest.fixture
def police(partnership: Partnership) -> Agency:
    return Agency.objects.create(
        partnership=partnership, name="Testshire Police", agency_type=Agency.Type.POLICE
    )


@pytest.fixture
def partnership_agency(partnership: Partnership) -> Agency:
    """The partnership's own agency: its learning group and business unit."""
    return ensure_partnership_agency(partnership)


MakeUser = Callable[..., User]


@pytest.fixture
def make_user(council: Agency) -> MakeUser:
    """make_user(Role.X, agency=..., username=..., scope=..., scope_name=...) with TEST_PASSWORD."""
    counter = iter(range(1, 10_000))

    def make(
        *roles: str,
        agency: Agency | None = None,
        username: str | None = None,
        scope: str = RoleGrant.Scope.ALL,
        scope_name: str = "",
    ) -> User:
        user = User.objects.create_user(
            username=username or f"person{next(counter)}",
            password=TEST_PASSWORD,
            agency=agency or council,
            first_name="Test",
            last_name="Person",
        )
        for role in roles:
            RoleGrant.objects.create(user=user, role=role, scope=scope, scope_name=scope_name)
        return user

    return make


@pytest.fixture
def admin_user(make_user: MakeUser) -> User:
    return make_user(Role.SYSTEM_ADMINISTRATOR, username="sysadmin")
