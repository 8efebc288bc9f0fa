"""`assure setup`: a fresh partnership, the same again (nothing changes), and bad files."""

import json
import logging
import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from assure.accounts.models import Agency, Partnership, Role, User
from assure.core.models import AuditEvent

NAME = "Testshire Safeguarding Children Partnership"
CSV = (
    "name,type,aliases\n"
    "Testshire children's services,la_childrens_services,Children's Services;TCS\n"
    "Testshire Police,Police,the force\n"
    "Testshire NHS Trust,nhs_trust\n"
)
LINK = re.compile(r"https?://\S+/first-sign-in/\S+/")
NEW_PASSWORD = "a-long-new-password-for-jo"


def run(*args: str, no_input: bool = True) -> str:
    from io import StringIO

    out = StringIO()
    options = ["--no-input"] if no_input else []
    call_command("setup", *args, *options, stdout=out)
    return out.getvalue()


def link_in(text: str) -> str:
    found = LINK.search(text)
    assert found, text
    return found.group()


def answers(agencies: Path) -> list[str]:
    return [
        "--partnership",
        NAME,
        "--agencies",
        str(agencies),
        "--admin-email",
        "jo@example.org",
        "--admin-name",
        "Jo Bloggs",
        "--base-url",
        "https://assure.example.org",
    ]


@pytest.fixture
def agencies_csv(tmp_path: Path) -> Path:
    path = tmp_path / "agencies.csv"
    path.write_text(CSV, encoding="utf-8")
    return path


def test_fresh_setup_creates_everything_and_prints_a_link(db, agencies_csv) -> None:
    output = run(*answers(agencies_csv))

    partnership = Partnership.objects.get()
    assert partnership.name == NAME
    agencies = {a.name: a for a in partnership.agencies.all()}
    assert set(agencies) == {
        "Testshire children's services",
        "Testshire Police",
        "Testshire NHS Trust",
        f"{NAME}: learning group and business unit",
    }
    assert agencies["Testshire children's services"].aliases == ["Children's Services", "TCS"]
    assert agencies["Testshire Police"].agency_type == Agency.Type.POLICE  # from its label
    own = agencies[f"{NAME}: learning group and business unit"]
    assert own.agency_type == Agency.Type.PARTNERSHIP
    admin = User.objects.get(username="jo@example.org")
    assert admin.agency == own
    assert admin.role_set() == {Role.SYSTEM_ADMINISTRATOR}
    assert admin.is_staff
    assert not admin.has_usable_password()
    assert link_in(output).startswith("https://assure.example.org/first-sign-in/")
    assert not mail.outbox, "with --no-input the link is printed, not emailed"
    assert AuditEvent.objects.filter(summary__startswith="Set up").count() == 6


def test_running_again_changes_nothing_and_says_so(db, agencies_csv) -> None:
    run(*answers(agencies_csv))
    events = AuditEvent.objects.count()

    output = run(*answers(agencies_csv))

    assert output.startswith(f"Nothing changed: {NAME} is already set up, with 4 agencies")
    assert not LINK.search(output), "no second link unless asked for"
    assert AuditEvent.objects.count() == events
    assert Agency.objects.count() == 4
    assert User.objects.count() == 1


def test_without_no_input_the_link_is_emailed(db, agencies_csv) -> None:
    output = run(*answers(agencies_csv), no_input=False)

    assert "emailed to jo@example.org" in output
    assert not LINK.search(output)
    assert mail.outbox[0].to == ["jo@example.org"]
    assert link_in(str(mail.outbox[0].body))


def test_agencies_from_json(db, tmp_path) -> None:
    path = tmp_path / "agencies.json"
    path.write_text(
        json.dumps({"agencies": [{"name": "Testshire Police", "type": "police", "aliases": []}]})
    )
    run(*answers(path))
    assert Agency.objects.filter(agency_type=Agency.Type.POLICE).get().name == "Testshire Police"


def test_the_link_sets_a_password_once(db, agencies_csv, caplog) -> None:
    path = link_in(run(*answers(agencies_csv))).removeprefix("https://assure.example.org")
    token = path.rstrip("/").rsplit("/", 1)[1]
    client = Client()

    with caplog.at_level(logging.INFO, logger="assure.access"):
        page = client.get(path, follow=True)
    assert not [r for r in caplog.records if token in r.getMessage()], "no token in the logs"
    assert page.status_code == 200
    assert "Choose your password" in page.text
    form_page = page.redirect_chain[-1][0]
    assert form_page.endswith("/choose-password/"), "the token leaves the address at once"

    done = client.post(form_page, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert done["Location"] == "/"
    assert User.objects.get().check_password(NEW_PASSWORD)
    assert AuditEvent.objects.filter(summary="First password chosen").exists()

    again = Client().get(path, follow=True)
    assert again.status_code == 410
    assert "This sign-in link has expired" in again.text


def test_a_weak_password_is_a_form_error(db, agencies_csv) -> None:
    path = link_in(run(*answers(agencies_csv))).split(".org", 1)[1]
    client = Client()
    form_page = client.get(path, follow=True).redirect_chain[-1][0]
    page = client.post(form_page, {"new_password1": "short", "new_password2": "short"})
    assert page.status_code == 200
    assert "This password is too short" in page.text
    assert not User.objects.get().has_usable_password()


def test_the_link_expires_after_72_hours(db, agencies_csv) -> None:
    start = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.get_current_timezone())
    with time_machine.travel(start, tick=False):
        path = link_in(run(*answers(agencies_csv))).split(".org", 1)[1]
    with time_machine.travel(start + timedelta(hours=71, minutes=59), tick=False):
        assert Client().get(path, follow=True).status_code == 200
    with time_machine.travel(start + timedelta(hours=72, seconds=1), tick=False):
        assert Client().get(path, follow=True).status_code == 410


def test_a_new_link_only_for_an_administrator_who_never_signed_in(db, agencies_csv) -> None:
    run(*answers(agencies_csv))
    assert LINK.search(run(*answers(agencies_csv), "--new-link"))

    User.objects.update(last_login=timezone.now())
    with pytest.raises(CommandError, match="already signed in"):
        run(*answers(agencies_csv), "--new-link")


@pytest.mark.parametrize(
    ("file_name", "content", "message"),
    [
        ("agencies.txt", "x", "agencies.txt: expected a .json or .csv file of agencies"),
        ("agencies.csv", "", "agencies.csv: the file is empty; expected a header row"),
        (
            "agencies.csv",
            "nme,type\nPolice,police\n",
            "agencies.csv, row 1: unknown column 'nme'",
        ),
        (
            "agencies.csv",
            "name,type\nTestshire Police,polise\n",
            "agencies.csv, row 2, type: 'polise' is not an agency type; expected one of "
            "la_childrens_services, police,",
        ),
        (
            "agencies.csv",
            "name,type\nA,police\n,police\n",
            "agencies.csv, row 3, name: '' is blank; expected the agency's name",
        ),
        (
            "agencies.csv",
            "name,type\nTestshire Police,police\ntestshire police,police\n",
            "agencies.csv, row 3, name: 'testshire police' is already named at row 2",
        ),
        (
            "agencies.csv",
            "name,type\nA,police,extra\n",
            "agencies.csv, row 2: 3 values for 2 columns",
        ),
        (
            "agencies.json",
            '[{"name": "A", "type": "police"},',
            "agencies.json: not valid JSON (line 1, column 34",
        ),
        (
            "agencies.json",
            '[{"name": "A", "type": "police", "aliases": "Police"}]',
            "agencies.json, entry 1, aliases: 'Police'; expected a list of names",
        ),
        (
            "agencies.json",
            '[{"name": "A", "type": "partnership"}]',
            "agencies.json, entry 1, type: 'partnership' is not an agency type",
        ),
    ],
)
def test_bad_files_write_nothing_and_say_where(db, tmp_path, file_name, content, message) -> None:
    path = tmp_path / file_name
    path.write_text(content, encoding="utf-8")

    with pytest.raises(CommandError) as raised:
        run(*answers(path))

    assert "Nothing was written" in str(raised.value)
    assert message in str(raised.value)
    assert not Partnership.objects.exists()
    assert not Agency.objects.exists()
    assert not User.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_file_that_is_not_utf8_or_missing(db, tmp_path) -> None:
    latin = tmp_path / "agencies.csv"
    latin.write_bytes("name,type\nCaf\xe9 Police,police\n".encode("latin-1"))
    with pytest.raises(CommandError, match="not UTF-8 text"):
        run(*answers(latin))
    with pytest.raises(CommandError, match="no such file"):
        run(*answers(tmp_path / "missing.csv"))
    assert not Partnership.objects.exists()


def test_missing_answers_with_no_input_are_named(db) -> None:
    with pytest.raises(CommandError) as raised:
        run("--partnership", NAME)
    assert "Administrator's user name: missing; expected --admin-username" in str(raised.value)
    assert not Partnership.objects.exists()


def test_a_second_partnership_is_refused(db, agencies_csv) -> None:
    Partnership.objects.create(name="Otherton Safeguarding Partnership")
    with pytest.raises(CommandError, match="already serves 'Otherton Safeguarding Partnership'"):
        run(*answers(agencies_csv))
    assert Partnership.objects.count() == 1
    assert not User.objects.exists()


def test_interactive_answers(db, monkeypatch) -> None:
    typed = iter(
        [NAME, "Testshire Police", "2", "Police; the force", "", "jo", "jo@example.org", "Jo B"]
    )
    monkeypatch.setattr("builtins.input", lambda prompt="": next(typed))

    run(no_input=False)

    police = Agency.objects.get(name="Testshire Police")
    assert police.agency_type == Agency.Type.POLICE
    assert police.aliases == ["Police", "the force"]
    assert User.objects.get().username == "jo"
    assert mail.outbox[0].to == ["jo@example.org"]
