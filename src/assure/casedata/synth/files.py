"""Writing the synthetic authority as the contract's CSV files, one child at a time."""

import csv
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import IO

from assure.casedata.contract import TABLES
from assure.casedata.synth import workforce
from assure.casedata.synth.authority import Synthesiser
from assure.casedata.synth.dates import DEFAULT_AS_OF
from assure.casedata.synth.records import ChildRecord

# Every file of the contract and its columns, in the contract's order.
TABLE_COLUMNS: dict[str, tuple[str, ...]] = {t.name: t.column_names for t in TABLES}
# Personal columns written to ssd_person on top of the contract: the importer must drop them.
PERSON_EXTRA_COLUMNS = ("pers_forename", "pers_surname")


def iter_children(children: int, seed: int, as_of: date = DEFAULT_AS_OF) -> Iterator[ChildRecord]:
    """The authority's children, one at a time (same arguments, same children)."""
    return Synthesiser(children, seed, as_of).children_records()


def generate(
    out_dir: Path, children: int, seed: int, as_of: date = DEFAULT_AS_OF
) -> dict[str, int]:
    """Write every contract file for a synthetic authority into out_dir; rows written per file."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    syn = Synthesiser(children, seed, as_of)
    counts = dict.fromkeys(TABLE_COLUMNS, 0)
    files: dict[str, IO[str]] = {}
    writers: dict[str, csv.DictWriter[str]] = {}
    try:
        for name, columns in TABLE_COLUMNS.items():
            header = columns + PERSON_EXTRA_COLUMNS if name == "ssd_person" else columns
            fh: IO[str] = open(  # noqa: SIM115 - closed in the finally block
                out_dir / f"{name}.csv", "w", encoding="utf-8", newline=""
            )
            files[name] = fh
            writer = csv.DictWriter(
                fh, fieldnames=header, lineterminator="\n", extrasaction="raise"
            )
            writer.writeheader()
            writers[name] = writer
        for name, rows in syn.staff_rows().items():
            writers[name].writerows(rows)
            counts[name] += len(rows)
        for record in syn.children_records():
            for name, rows in record.rows.items():
                if rows:
                    writers[name].writerows(rows)
                    counts[name] += len(rows)
    finally:
        for fh in files.values():
            fh.close()
    counts.update(workforce.append(out_dir, seed, as_of))  # reads the allocations written above
    return counts
