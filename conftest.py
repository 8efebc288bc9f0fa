"""Fixtures shared by every test: a partnership, its agencies and people holding roles."""

from collections.abc import Callable

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from assure.accounts import mfa
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


def authenticator(user: User) -> TOTPDevice:
    """The person's authenticator app, set up if they have none, ready for a fresh code (a
    code is accepted once, so a test signing in twice within 30 seconds needs this)."""
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, confirmed=True, defaults={"name": mfa.APP_NAME}
    )
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    device.refresh_from_db()
    return device


def sign_in_with_code(client: Client, user: User, password: str = TEST_PASSWORD) -> None:
    """Sign in through the pages: password, then a code from the person's app."""
    device = authenticator(user)
    client.post("/sign-in/", {"username": user.get_username(), "password": password})
    client.post("/sign-in/code/", {"code": mfa.current_code(device)})


@pytest.fixture(autouse=True)
def force_login_verifies_the_session(monkeypatch: pytest.MonkeyPatch) -> None:
    """`client.force_login(user)` also verifies the session with the person's app, as
    `django_otp.login(request, device)` does after a code (it writes the same session key),
    so request tests reach pages behind VerifiedSessionMiddleware. Tests of the second step
    itself sign in through the pages."""
    original = Client.force_login

    def force_login(self: Client, user: User, backend: str | None = None) -> None:
        original(self, user, backend)
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = authenticator(user).persistent_id
        session.save()

    monkeypatch.setattr(Client, "force_login", force_login)
