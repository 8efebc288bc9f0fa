"""The synthetic authority's supervision and case oversight (docs/domain.md section 9).

`append(out_dir, seed, as_of)` runs once `synth.generate` has written the other files: it
reads the allocations and CSAFE flags written there and appends supervision sessions and
managers' oversight to `assure_supervision.csv` and `assure_case_oversight.csv` (whose headers
`generate` wrote). Most formal supervision is within 4 weeks and some is late; some workers'
supervision stopped a month or more ago and a few workers have none at all; reflective and
group sessions fall in between. Most CSAFE cases have oversight on time, some late, a few
none. Everything is decided by `random.Random(seed)`.
"""

from __future__ import annotations

import csv
import random
from datetime import date, timedelta
from pathlib import Path

from assure.casedata.contract import BY_NAME

__all__ = ["COLUMNS", "append"]

# The two tables of docs/domain.md section 9, with their columns from the contract.
COLUMNS: dict[str, tuple[str, ...]] = {
    name: BY_NAME[name].column_names for name in ("assure_supervision", "assure_case_oversight")
}

WITHOUT_SUPERVISION = 0.04  # share of allocated workers never supervised
LATE_SUPERVISION = 0.12  # share of gaps longer than 4 weeks
STOPPED_SUPERVISION = 0.1  # share of workers whose supervision stopped 1 to 3 months ago
WITHOUT_OVERSIGHT = 0.05
LATE_OVERSIGHT = 0.15


def _read(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _dates(rng: random.Random, start: date, until: date, late: float) -> list[date]:
    """Dates after `start` up to `until`, each 2 to 4 weeks after the last (sometimes 5-8)."""
    found: list[date] = []
    day = start
    while True:
        gap = rng.randint(29, 56) if rng.random() < late else rng.randint(14, 28)
        day += timedelta(days=gap)
        if day > until:
            return found
        found.append(day)


def append(out_dir: Path, seed: int, as_of: date) -> dict[str, int]:
    """Append the two tables' rows to their files in out_dir; rows written per file."""
    out_dir = Path(out_dir)
    rng = random.Random(seed * 7919 + 14)  # noqa: S311 - synthetic data, not security
    spans: dict[str, tuple[date, date]] = {}
    for row in _read(out_dir / "ssd_involvements.csv"):
        start = date.fromisoformat(row["invo_involvement_start_date"])
        end_text = row["invo_involvement_end_date"]
        end = min(date.fromisoformat(end_text), as_of) if end_text else as_of
        prof = row["invo_professional_id"]
        first, last = spans.get(prof, (start, end))
        spans[prof] = (min(first, start), max(last, end))
    managers = [
        row["prof_professional_id"]
        for row in _read(out_dir / "ssd_professionals.csv")
        if row["prof_professional_job_title"] == "Team Manager"
    ]

    supervision = []
    for prof in sorted(spans):
        if rng.random() < WITHOUT_SUPERVISION:
            continue
        first, last = spans[prof]
        if rng.random() < STOPPED_SUPERVISION:
            last -= timedelta(days=rng.randint(30, 90))
        for day in _dates(rng, first, last, LATE_SUPERVISION):
            supervision.append((prof, day, "formal"))
            other = day + timedelta(days=rng.randint(3, 10))
            if rng.random() < 0.25 and other <= as_of:
                supervision.append((prof, other, rng.choice(("reflective", "group"))))
    oversight = []
    for row in _read(out_dir / "assure_case_flags.csv"):
        if row["flag_code"] != "CSAFE" or rng.random() < WITHOUT_OVERSIGHT:
            continue
        start = date.fromisoformat(row["flag_start_date"])
        end_text = row["flag_end_date"]
        end = min(date.fromisoformat(end_text), as_of) if end_text else as_of
        for day in _dates(rng, start, end, LATE_OVERSIGHT):
            oversight.append((row["flag_person_id"], day, rng.choice(managers) if managers else ""))

    counts = {}
    with open(out_dir / "assure_supervision.csv", "a", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        for n, (prof, day, kind) in enumerate(supervision, 1):
            welfare = "Y" if rng.random() < 0.7 else "N"
            writer.writerow([f"SUPE-{n:06d}", prof, day.isoformat(), kind, welfare])
        counts["assure_supervision"] = len(supervision)
    with open(out_dir / "assure_case_oversight.csv", "a", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        for n, (person, day, manager) in enumerate(oversight, 1):
            writer.writerow([f"OVER-{n:06d}", person, day.isoformat(), manager])
        counts["assure_case_oversight"] = len(oversight)
    return counts
