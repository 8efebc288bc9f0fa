"""`assure synth`: write a synthetic local authority's case data extract (and a CIN census)."""

import time
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from assure.casedata.synth import DEFAULT_AS_OF, generate, write_cin_xml
from assure.casedata.synth.census import census_reference


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--as-of must be a date as YYYY-MM-DD, not {text!r}.") from None


class Command(BaseCommand):
    help = (
        "Write a synthetic local authority's case data as the contract's CSV files "
        "(deterministic for a given --seed and --as-of), optionally also as a CIN census XML."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--children", type=int, default=2000, help="Number of children")
        parser.add_argument(
            "--seed", type=int, default=1, help="Random seed (same seed, same files)"
        )
        parser.add_argument("--out", required=True, help="Folder to write the CSV files into")
        parser.add_argument(
            "--as-of",
            default=DEFAULT_AS_OF.isoformat(),
            help=f"The extract date (YYYY-MM-DD); default {DEFAULT_AS_OF.isoformat()}",
        )
        parser.add_argument(
            "--cin",
            default=None,
            help=(
                "Also write a CIN census XML file: the last census year ending by --as-of, as "
                "the authority would submit it (it breaks none of the DfE's error rules)"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        children = options["children"]
        if children < 1:
            raise CommandError("--children must be at least 1.")
        as_of = _date(options["as_of"])
        out = Path(options["out"])
        started = time.perf_counter()
        counts = generate(out, children, options["seed"], as_of)
        elapsed = time.perf_counter() - started
        width = max(len(name) for name in counts)
        for name, rows in counts.items():
            self.stdout.write(f"{name + '.csv':<{width + 4}} {rows:>10,}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {sum(counts.values()):,} rows for {children:,} children to {out} "
                f"in {elapsed:.1f}s (as of {as_of.isoformat()})."
            )
        )
        if options["cin"]:
            started = time.perf_counter()
            written = write_cin_xml(Path(options["cin"]), children, options["seed"], as_of)
            elapsed = time.perf_counter() - started
            self.stdout.write(
                self.style.SUCCESS(
                    f"Wrote a CIN census of {written:,} children (the year to "
                    f"{census_reference(as_of).isoformat()}) to {options['cin']} in {elapsed:.1f}s."
                )
            )
