"""`assure permissions_doc`: the permissions matrix as docs/permissions.md shows it."""

from typing import Any

from django.core.management.base import BaseCommand

from assure.core.permissions import matrix_markdown


class Command(BaseCommand):
    help = "Print the permissions matrix as a Markdown table."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(matrix_markdown(), ending="")
