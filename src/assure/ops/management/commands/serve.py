"""`assure serve`: the production web server (gunicorn) and the background worker together."""

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from assure.ops import supervisor, tempfiles


class Command(BaseCommand):
    help = (
        "Serve Assure with gunicorn (settings from ASSURE_WEB_* variables) and run the "
        "background worker beside it, restarted if it dies."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--bind", default="", help="Address to listen on (default: ASSURE_WEB_BIND)."
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="Do not run the worker here (it runs elsewhere, e.g. its own container).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["bind"]:
            os.environ["ASSURE_WEB_BIND"] = options["bind"]
        removed = tempfiles.clean_stale()
        if removed:
            self.stdout.write(f"Removed {len(removed)} stale temporary files of uploads.")
        worker = None if options["no_worker"] else supervisor.WORKER
        code = supervisor.Supervisor(supervisor.WEB, worker).run()
        if code:
            raise SystemExit(code)
