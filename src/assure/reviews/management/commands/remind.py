"""`assure remind`: email each action owner one digest of actions due soon or overdue."""

from datetime import date
from typing import Any

from django.conf import settings
from django.core.management.base import CommandParser
from django.utils import timezone

from assure.accounts.models import Partnership
from assure.core.commandline import AuditedCommand
from assure.reviews.reminders import send_digests
from assure.reviews.services import check_embedded_measures


class Command(AuditedCommand):
    help = "Email each owner one digest of their actions due within 14 days or overdue."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", type=date.fromisoformat, help="YYYY-MM-DD (for testing)")
        parser.add_argument(
            "--base-url",
            default=None,
            help="Address the emails link to (default: the SITE_URL setting)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = options["today"] or timezone.localdate()
        raised = sum(len(check_embedded_measures(p, today)) for p in Partnership.objects.all())
        self.stdout.write(f"Raised {raised} embedded action(s) whose measure slipped.")
        sent, skipped = send_digests(today, options["base_url"] or settings.SITE_URL)
        self.stdout.write(f"Sent {sent} reminder digest(s); skipped {skipped}.")
