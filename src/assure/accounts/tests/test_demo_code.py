"""`assure demo-code`: demo people's codes, and nobody else's."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from assure.accounts import mfa
from assure.accounts.models import Partnership, User
from conftest import TEST_PASSWORD, authenticator


@pytest.fixture
def demo_loaded(db, settings, tmp_path) -> str:
    settings.VAR_DIR = tmp_path
    out = StringIO()
    call_command("load_demo", "--children", "0", stdout=out)
    return out.getvalue()


def demo_code(username: str) -> str:
    out = StringIO()
    call_command("demo_code", username, stdout=out)
    return out.getvalue().strip()


def test_every_demo_person_has_an_app_and_the_printout_says_how_to_get_codes(
    demo_loaded,
) -> None:
    assert "make demo-code WHO=manager" in demo_loaded
    for person in User.objects.all():
        device = TOTPDevice.objects.get(user=person)
        assert device.name == mfa.DEMO_APP_NAME
        assert demo_code(person.username) == mfa.current_code(device)


def test_a_demo_code_signs_the_person_in(client, demo_loaded, settings, tmp_path) -> None:
    password = (tmp_path / "demo_password").read_text().strip()
    client.post("/sign-in/", {"username": "manager", "password": password})
    response = client.post("/sign-in/code/", {"code": demo_code("manager")})
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_refused_when_the_database_holds_any_other_partnership(demo_loaded) -> None:
    Partnership.objects.create(name="A real partnership")
    with pytest.raises(CommandError, match="other than the synthetic demo"):
        demo_code("manager")


def test_refused_when_the_deployment_holds_real_data(demo_loaded, settings) -> None:
    settings.ASSURE_SYNTHETIC_DATA = False
    with pytest.raises(CommandError, match="real data"):
        demo_code("manager")


def test_refused_for_someone_whose_app_the_demo_did_not_set_up(demo_loaded) -> None:
    person = User.objects.create_user("realperson", password=TEST_PASSWORD)
    authenticator(person)
    with pytest.raises(CommandError, match="not a demo person"):
        demo_code("realperson")
