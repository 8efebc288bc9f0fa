"""Command-line work in the audit trail: the operating-system user who ran a command, and
`--as USERNAME` for the Assure person it is for."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from assure.accounts.models import User
from assure.core import audit
from assure.core.viewer import Viewer


class AuditedCommand(BaseCommand):
    """A command whose audit events name the operating-system user who ran it (every command
    that writes to the database, or shows children or secrets, is one: test_commands checks)."""

    def execute(self, *args: Any, **options: Any) -> Any:
        with audit.command_line():
            return super().execute(*args, **options)


def add_as_argument(parser: CommandParser) -> None:
    parser.add_argument(
        "--as",
        dest="as_username",
        default=None,
        metavar="USERNAME",
        help="The Assure person this work is done for (the audit trail names them beside "
        "the operating-system user)",
    )


def acting_viewer(username: str | None) -> Viewer | None:
    """The viewer of the person named by `--as` (see `acting_person`)."""
    person = acting_person(username)
    return Viewer.of(person) if person else None


def acting_person(username: str | None) -> User | None:
    """The active person named by `--as`, None when not given; a CommandError otherwise."""
    if username is None:
        return None
    person = User.objects.filter(username=username).first()
    if person is None:
        raise CommandError(f"--as {username}: there is no Assure person with that user name.")
    if not person.is_active:
        raise CommandError(f"--as {username}: that person's account is not active.")
    return person
