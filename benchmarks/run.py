"""`make bench`: every benchmark; each runs on SQLite and, when DATABASE_URL names one, on a
scratch PostgreSQL database beside it.

Each script prints its own figures beside its baseline and target. Nothing here is a test:
figures vary with the machine, so they are read by people, not asserted.
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS = [
    "benchmarks.reviews_bench",
    "benchmarks.import_bench",
    "benchmarks.cin_bench",
    "benchmarks.indicators_bench",
    "benchmarks.catalogue_bench",
    "benchmarks.todo_bench",
    "benchmarks.load_bench",
    "benchmarks.audits_bench",
    "benchmarks.surveys_bench",
    "benchmarks.escalations_bench",
    "benchmarks.report_bench",
    "benchmarks.workforce_bench",
]


def main() -> int:
    failures = 0
    for module in BENCHMARKS:
        if not (ROOT / (module.replace(".", "/") + ".py")).exists():
            print(f"\n{module}: not written yet")
            continue
        print(f"\n== {module}", flush=True)
        failures += subprocess.call([sys.executable, "-m", module], cwd=ROOT)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
