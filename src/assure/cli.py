"""The `assure` command: Django's management commands with Assure's settings.

Command names may be written with hyphens (`assure import-cases`) or underscores.
"""

import gc
import os
import sys


def main() -> None:
    """Run a management command with the project's settings."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "assure.config.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    try:
        execute_from_command_line(argv)
    finally:
        # The interpreter's collections at exit would walk the ~110,000 objects the start made
        # (~0.2 s of CPU of every command); frozen, they are left to the operating system.
        # Only garbage in reference cycles goes unfinalised, which Python never promised at
        # exit; the database connection is not in one (SQLite's WAL is still checkpointed).
        gc.freeze()


if __name__ == "__main__":
    main()
