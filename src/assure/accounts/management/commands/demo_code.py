"""`assure demo-code USER`: the current code of a demo person's authenticator app.

Refused unless the database holds only the synthetic demo partnership and the person's app is
the one the demo loader set up: real people's codes are never printed.
"""

from typing import Any

from django.conf import settings
from django.core.management.base import CommandError, CommandParser
from django_otp.plugins.otp_totp.models import TOTPDevice

from assure import demo
from assure.accounts import mfa
from assure.accounts.models import Partnership
from assure.core import audit
from assure.core.commandline import AuditedCommand


class Command(AuditedCommand):
    help = "Print a demo person's current sign-in code (synthetic demo data only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="The demo person's user name, e.g. manager.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.ASSURE_SYNTHETIC_DATA:
            raise CommandError("This deployment holds real data (ASSURE_SYNTHETIC_DATA=0).")
        if Partnership.objects.exclude(name=demo.PARTNERSHIP).exists():
            raise CommandError(
                "This database holds a partnership other than the synthetic demo one: "
                "demo codes are refused."
            )
        device = TOTPDevice.objects.filter(
            user__username=options["username"], name=mfa.DEMO_APP_NAME, confirmed=True
        ).first()
        if device is None:
            raise CommandError(
                f"{options['username']!r} is not a demo person with a demo app: run "
                "`assure load_demo` and use one of the user names it prints."
            )
        audit.record(
            None, audit.Action.VIEW, device, summary=f"Demo sign-in code shown for {device.user}"
        )
        self.stdout.write(mfa.current_code(device))
