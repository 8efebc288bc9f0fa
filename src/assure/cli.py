"""The `assure` command: Django's management commands with Assure's settings.

Command names may be written with hyphens (`assure import-cases`) or underscores.
"""

import gc
import os
import sys
from typing import Any

from django.core.management import ManagementUtility


class _Utility(ManagementUtility):
    """Django's, with the cyclic garbage collector off until the command is loaded.

    The start (settings, every app and its models, the command's module) makes about 110,000
    objects and hardly any garbage, yet the collector walked them again and again as they
    were made: about 0.06 s of every command. Once loaded they are frozen (left out of every
    later collection, which are then cheaper too) and collection resumes as usual.
    """

    def fetch_command(self, subcommand: str) -> Any:
        try:
            return super().fetch_command(subcommand)
        finally:
            gc.freeze()
            gc.enable()


def _read_ahead(args: list[str]) -> None:
    """`import-cases FOLDER`: the folder's files are read while Django starts (see
    `reading.read_ahead`; a zip is unpacked only once Django has started)."""
    folder = next((arg for arg in args if not arg.startswith("-")), None)
    if folder is not None and os.path.isdir(folder):
        from assure.casedata.importer.reading import read_ahead

        read_ahead(folder)


def main() -> None:
    """Run a management command with the project's settings."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "assure.config.settings")
    argv = list(sys.argv)
    named = 2 if argv[1:2] == ["help"] else 1  # `assure help import-cases` too
    if len(argv) > named and not argv[named].startswith("-"):
        argv[named] = argv[named].replace("-", "_")
    gc.disable()
    if argv[1:2] == ["import_cases"]:
        _read_ahead(argv[2:])
    try:
        _Utility(argv).execute()
    finally:
        # The interpreter's collections at exit would walk every object (~0.2 s of CPU of
        # every command); frozen, they are left to the operating system. Only garbage in
        # reference cycles goes unfinalised, which Python never promised at exit; the
        # database connection is not in one (SQLite's WAL is still checkpointed).
        gc.enable()
        gc.freeze()


if __name__ == "__main__":
    main()
