"""`assure load_demo`: the synthetic demo partnership, safe to run again (nothing is made twice)."""

from typing import Any

from django.conf import settings
from django.core.management.base import CommandError, CommandParser

from assure import demo
from assure.accounts import mfa
from assure.accounts.models import Role
from assure.accounts.services import ensure_agency, ensure_person
from assure.core.commandline import AuditedCommand
from assure.reviews.themes import ensure_themes


class Command(AuditedCommand):
    help = "Load the synthetic demo partnership and print its sign-ins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--children", type=int, default=2000, help="Children in the synthetic authority."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.ASSURE_SYNTHETIC_DATA:
            raise CommandError(
                "This deployment holds real data (ASSURE_SYNTHETIC_DATA=0): demo data is refused."
            )
        partnership = demo.partnership()
        agencies = {spec.name: ensure_agency(partnership, spec) for spec in demo.AGENCIES}
        password = demo.demo_password()
        rows = []
        people = {}
        for username, full_name, agency_name, roles in demo.PEOPLE:
            people[username], _ = ensure_person(
                username,
                agency=agencies[agency_name],
                roles=roles,
                full_name=full_name,
                password=password,
                email=f"{username}@example.org",
            )
            mfa.enrol_demo_app(people[username])
            rows.append((username, ", ".join(Role(r).label for r, _, _ in roles), agency_name))
        ensure_themes(partnership)
        self.stdout.write(demo.load_review(people["manager"]))
        self.stdout.write(demo.load_case_data(partnership, options["children"]))
        self.stdout.write(demo.load_audits(people))
        self.stdout.write(demo.load_surveys(people["manager"]))
        self.stdout.write(demo.load_escalations(people))
        self.stdout.write(demo.load_workforce(people))
        self.stdout.write(demo.load_self_assessments(people))
        self.stdout.write(demo.link_measures(people))
        self._print_sign_ins(rows, password)

    def _print_sign_ins(self, rows: list[tuple[str, str, str]], password: str) -> None:
        width = max(len(r[0]) for r in rows)
        self.stdout.write(self.style.SUCCESS("\nDemo sign-ins at http://127.0.0.1:8000/sign-in/"))
        self.stdout.write(f"Password for everyone: {password}")
        self.stdout.write(
            "Then a code from each person's authenticator app: "
            "`make demo-code WHO=manager` (or `assure demo-code manager`) prints it.\n"
        )
        for username, roles, agency in rows:
            self.stdout.write(f"  {username.ljust(width)}  {roles} ({agency})")
        self.stdout.write("")
