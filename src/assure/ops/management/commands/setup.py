"""`assure setup`: a real partnership, its agencies and its first administrator."""

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from assure.accounts.models import Agency
from assure.core.commandline import AuditedCommand
from assure.ops import setup
from assure.ops.setup import Administrator, AgencyRow, Plan, SetupError


class Command(AuditedCommand):
    help = (
        "Set up the partnership, its agencies (from a .json or .csv file, or typed in) and the "
        "first system administrator, who gets a one-time sign-in link. Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--partnership", default="", help="The partnership's full name.")
        parser.add_argument("--short-name", default="", help="A short name, e.g. 'SSCP'.")
        parser.add_argument(
            "--agencies", type=Path, help="A .json or .csv file of agencies: name, type, aliases."
        )
        parser.add_argument("--admin-username", default="", help="The administrator's user name.")
        parser.add_argument("--admin-email", default="", help="The administrator's email.")
        parser.add_argument("--admin-name", default="", help="The administrator's full name.")
        parser.add_argument(
            "--admin-agency",
            default="",
            help="The administrator's agency (default: the partnership's own agency).",
        )
        parser.add_argument(
            "--base-url",
            default="",
            help="Where people reach Assure, for the link (default: SITE_URL).",
        )
        parser.add_argument(
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Ask nothing: take every answer from the options and print the link.",
        )
        parser.add_argument(
            "--new-link",
            action="store_true",
            help="Issue a new one-time link for an administrator who has never signed in.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        interactive = options["interactive"]
        try:
            plan = self._plan(options, interactive)
            outcome = setup.set_up(plan)
        except SetupError as error:
            raise CommandError(
                "Nothing was written:\n" + "\n".join(f"  {p}" for p in error.problems)
            ) from None
        admin = outcome.administrator
        assert admin is not None
        if outcome.changes:
            for change in outcome.changes:
                self.stdout.write(f"  {change}")
        else:
            count = Agency.objects.filter(partnership__name=plan.partnership).count()
            self.stdout.write(
                f"Nothing changed: {plan.partnership} is already set up, with {count} agencies "
                f"and the system administrator {admin.username}."
            )
        if options["new_link"] and admin.last_login is not None:
            raise CommandError(
                f"{admin.username} has already signed in: to reset their password, use "
                f"`assure changepassword {admin.username}`."
            )
        if outcome.link_needed or options["new_link"]:
            link = setup.first_sign_in_link(admin, options["base_url"] or setup.default_base_url())
            if interactive:
                setup.email_link(admin, link)
                self.stdout.write(
                    self.style.SUCCESS(f"The sign-in link was emailed to {admin.email}.")
                )
            else:
                self.stdout.write(
                    self.style.SUCCESS(
                        f"{admin.username}'s one-time sign-in link (works once, for 72 hours):"
                    )
                )
                self.stdout.write(link)

    def _plan(self, options: dict[str, Any], interactive: bool) -> Plan:
        ask = self._ask if interactive else self._required
        partnership = options["partnership"] or ask("Partnership's full name", "--partnership")
        if options["agencies"]:
            agencies = setup.read_agencies(options["agencies"])
        elif interactive:
            agencies = self._agencies_typed_in()
        else:
            agencies = []
        administrator = Administrator(
            username=options["admin_username"]
            or options["admin_email"]
            or ask("Administrator's user name", "--admin-username"),
            email=options["admin_email"] or ask("Administrator's email", "--admin-email"),
            full_name=options["admin_name"] or ask("Administrator's full name", "--admin-name"),
        )
        return Plan(
            partnership=partnership.strip(),
            short_name=options["short_name"],
            agencies=agencies,
            administrator=administrator,
            administrator_agency=options["admin_agency"].strip(),
        )

    @staticmethod
    def _required(question: str, option: str) -> str:
        raise SetupError([f"{question}: missing; expected {option} (or run without --no-input)"])

    @staticmethod
    def _ask(question: str, option: str = "") -> str:
        while not (answer := input(f"{question}: ").strip()):
            pass
        return answer

    def _agencies_typed_in(self) -> list[AgencyRow]:
        """Agencies typed in one at a time (a blank name ends the list)."""
        types = list(setup.FILE_TYPES.values())
        self.stdout.write("Agencies: type each agency's name; leave the name blank to finish.")
        for number, agency_type in enumerate(types, 1):
            self.stdout.write(f"  {number}. {agency_type.label}")
        rows: list[AgencyRow] = []
        while name := input("Agency name (blank to finish): ").strip():
            choice = ""
            while not (choice.isdigit() and 1 <= int(choice) <= len(types)):
                choice = input(f"  Its type (1-{len(types)}): ").strip()
            aliases = input("  Other names it goes by, separated by ';' (optional): ")
            rows.append(
                AgencyRow(
                    name,
                    types[int(choice) - 1].value,
                    tuple(a.strip() for a in aliases.split(";") if a.strip()),
                )
            )
        return rows
