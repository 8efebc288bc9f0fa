"""Command-line work names the operating-system user who ran it in the audit trail."""

import getpass
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command, get_commands, load_command_class

from assure.core.commandline import AuditedCommand
from assure.core.models import AuditEvent

# Commands that neither write to the database nor show children or secrets, and why.
NOT_AUDITED = {
    "audit_agreement": "reads a moderation sheet given as a file and prints percentages",
    "escalations": "prints counts of escalations in a window, naming no child, person or note",
    "indicators": "prints figures over all children, none of them named",
    "parse_review": "reads a review document and prints a draft; saves nothing",
    "permissions_doc": "prints the permission matrix",
    "serve": "starts the web server and worker, whose requests and tasks are audited",
    "synth": "writes synthetic CSV files; touches no database",
    "worker": "runs the background task storing derived tracker figures; it shows nothing",
}


def assure_commands() -> dict[str, str]:
    return {name: app for name, app in get_commands().items() if app.startswith("assure.")}


def test_every_command_is_attributed_or_says_why_not() -> None:
    commands = assure_commands()
    unattributed = {
        name
        for name, app in commands.items()
        if not isinstance(load_command_class(app, name), AuditedCommand)
    }
    assert unattributed == set(NOT_AUDITED)


def test_setup_names_the_operating_system_user(db, tmp_path: Path) -> None:
    agencies = tmp_path / "agencies.csv"
    agencies.write_text("name,type\nTestshire Police,police\n", encoding="utf-8")
    call_command(
        "setup",
        "--partnership",
        "Testshire Safeguarding Children Partnership",
        "--agencies",
        str(agencies),
        "--admin-email",
        "jo@example.org",
        "--admin-name",
        "Jo Bloggs",
        "--base-url",
        "https://assure.example.org",
        "--no-input",
        stdout=StringIO(),
    )
    names = set(AuditEvent.objects.values_list("actor_username", flat=True))
    assert names == {f"{getpass.getuser()} (command line)"}


def test_searching_who_has_seen_a_child_is_itself_audited(db) -> None:
    call_command("audit_children", "P000123", stdout=StringIO())
    event = AuditEvent.objects.get()
    assert (event.action, event.record_type, event.record_id) == (
        "view",
        "core.childview",
        "P000123",
    )
    assert event.actor_username == f"{getpass.getuser()} (command line)"


@pytest.mark.parametrize("name", sorted(NOT_AUDITED))
def test_each_reason_names_a_real_command(name: str) -> None:
    assert name in assure_commands()
