"""Issue 13: the escalation dashboard with 10,000 escalations (30,000 stages), median under
300 ms, and `assure escalations --from --to --json` on the same under 1 s, beside the catalogue
page in the same run.

On each database (SQLite and, when DATABASE_URL names one, a scratch PostgreSQL database): the
demo partnership with a small synthetic authority (so the catalogue page has figures), then a
CSV of 10,000 escalations over two years between its agencies (three stages each on average),
imported with `assure import-escalations` (timed, for information). Then:

- the command: `call_command("escalations", ...)` in one process, best of 3, beside the ORM
  listing every stage's number, due and end dates (the least any count of them reads), and the
  whole `assure escalations` process (Django's start-up included) beside `assure --help`;
- the dashboard, served by the demo server, median of 20 requests for the partnership manager
  and the board member over the last twelve months, beside the cookies page and the catalogue
  page (/trackers/, after its first view).

    .venv/bin/python -m benchmarks.escalations_bench [--children N] [--escalations N]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import subprocess
import sys
import time
from contextlib import redirect_stdout
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from benchmarks.common import (
    ASSURE,
    ROOT,
    Client,
    assure,
    each_database,
    recovery_codes,
    served,
    temp_var,
)

AS_OF = date(2026, 10, 30)
START = date(2025, 11, 1)
RUNS = 3
PAGE_RUNS = 20
DASHBOARD_TARGET_MS = 300
COMMAND_TARGET_S = 1.0
CATEGORIES = ["threshold", "closure", "information_sharing", "plan", "attendance", "other"]
OUTCOMES = ["resolved_agreed", "resolved_changed", "withdrawn"]


def write_history(path: Path, count: int) -> int:
    """`count` escalations over two years before AS_OF between the demo agencies, 1 to 4 stages
    (3 on average); most end."""
    import django

    django.setup()
    from assure.core.calendar import add_working_days
    from assure.demo import AGENCIES
    from assure.escalations.importer import COLUMNS

    agencies = [a.name for a in AGENCIES]

    rng = random.Random(13)
    rows = 0
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(COLUMNS)
        for n in range(count):
            raised = AS_OF - timedelta(days=rng.randrange(730))
            by, about = rng.sample(agencies, 2)
            stages = rng.choices((1, 2, 3, 4), (2, 3, 3, 7))[0]
            ends = rng.random() < 0.9
            day = raised
            for number in range(1, stages + 1):
                ended = add_working_days(day, rng.randrange(2, 14))
                last = number == stages
                done = ended <= AS_OF and (not last or ends)
                outcome = rng.choice(OUTCOMES) if last and done else ""
                writer.writerow([f"B{n}", raised, by, about, CATEGORIES[n % 6], number, day,
                                 ended if done else "", outcome])  # fmt: skip
                rows += 1
                if not done:
                    break
                day = ended
    return rows


def best_of(runs: int, work: Any) -> float:
    best = float("inf")
    for _ in range(runs):
        began = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - began)
    return best


def measure_command() -> dict[str, Any]:
    """In one process: the command, and the ORM reading every stage (baseline)."""
    import django

    django.setup()
    from django.core.management import call_command

    from assure.escalations.models import Escalation, Stage

    start, end = START.isoformat(), AS_OF.isoformat()
    baseline = best_of(RUNS, lambda: list(Stage.objects.values_list("number", "due", "ended")))

    def command() -> None:
        with redirect_stdout(io.StringIO()):
            call_command("escalations", "--from", start, "--to", end, "--json")

    seconds = best_of(RUNS, command)
    out = io.StringIO()
    call_command("escalations", "--from", start, "--to", end, "--json", stdout=out)
    return {
        "baseline": baseline,
        "command": seconds,
        "escalations": Escalation.objects.count(),
        "stages": Stage.objects.count(),
        "document": json.loads(out.getvalue()),
    }


def process_seconds(env: dict[str, str], *args: str) -> float:
    return best_of(
        RUNS,
        lambda: subprocess.run(
            [*ASSURE, *args], env=env, cwd=ROOT, capture_output=True, check=True
        ),
    )


def run_measure(env: dict[str, str], *mode: str) -> dict[str, Any]:
    env = dict(env, DJANGO_SETTINGS_MODULE="assure.config.settings")
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.escalations_bench", *mode],
        env=env, cwd=ROOT, capture_output=True, text=True, check=False, timeout=1800,
    )  # fmt: skip
    if result.returncode:
        raise SystemExit(f"measuring failed:\n{result.stderr[-3000:]}")
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def time_pages(env: dict[str, str], password: str) -> dict[str, float]:
    window = f"/escalations/figures/?start={(AS_OF - timedelta(days=364)).isoformat()}&end={AS_OF}"
    codes = recovery_codes(env, ["manager", "board"])
    with served(env) as url:
        manager, board = Client(url), Client(url)
        manager.sign_in("manager", password, codes["manager"][0])
        board.sign_in("board", password, codes["board"][0])
        manager.get("/trackers/")  # the first view computes and stores the figures
        began = time.perf_counter()
        manager.get(window)
        first = (time.perf_counter() - began) * 1000
        return {
            "baseline": manager.median_ms("/cookies/", runs=PAGE_RUNS),
            "catalogue": manager.median_ms("/trackers/", runs=PAGE_RUNS),
            "first": first,
            "manager": manager.median_ms(window, runs=PAGE_RUNS),
            "board": board.median_ms(window, runs=PAGE_RUNS),
        }


def report(
    label: str, rows: int, imported: float, figures: dict, process: dict, pages: dict
) -> bool:
    print(f"\nEscalations on {label}: {figures['escalations']:,} escalations, "
          f"{figures['stages']:,} stages ({rows:,} rows imported in {imported:.1f} s)")  # fmt: skip
    base = figures["baseline"]
    ok = figures["command"] < COMMAND_TARGET_S
    print(f"{'command, best of 3':<48}{'seconds':>9}{'x base':>8}{'target':>8}")
    print(f"{'baseline: ORM reads every stage':<48}{base:>9.3f}{1:>8.2f}")
    print(f"{'assure escalations --json (in process)':<48}{figures['command']:>9.3f}"
          f"{figures['command'] / base:>8.2f}{COMMAND_TARGET_S:>8.0f}  "
          f"{'met' if ok else 'MISSED'}")  # fmt: skip
    print(f"{'whole process: assure --help':<48}{process['help']:>9.3f}")
    print(f"{'whole process: assure escalations --json':<48}{process['command']:>9.3f}"
          f"{process['command'] / process['help']:>8.2f}  (Django start-up included)")  # fmt: skip
    print(f"document: {json.dumps(figures['document'])[:400]}")
    base = pages["baseline"]
    print(f"\n{'page, median of ' + str(PAGE_RUNS):<48}{'ms':>9}{'x base':>8}{'target':>8}")
    print(f"{'baseline: cookies page':<48}{base:>9.1f}{1:>8.2f}")
    print(f"{'catalogue page':<48}{pages['catalogue']:>9.1f}{pages['catalogue'] / base:>8.2f}")
    print(f"{'escalation figures, first view (draws charts)':<48}{pages['first']:>9.1f}"
          f"{pages['first'] / base:>8.2f}")  # fmt: skip
    for name, key in (("escalation figures, partnership manager", "manager"),
                      ("escalation figures, board member", "board")):  # fmt: skip
        ms = pages[key]
        verdict = "met" if ms < DASHBOARD_TARGET_MS else "MISSED"
        ok = ok and verdict == "met"
        print(f"{name:<48}{ms:>9.1f}{ms / base:>8.2f}{DASHBOARD_TARGET_MS:>8}  {verdict}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=2000)
    parser.add_argument("--escalations", type=int, default=10_000)
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--write", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure_command()))
        return 0
    if args.write:
        print(json.dumps({"rows": write_history(args.write, args.escalations)}))
        return 0
    ok = True
    with temp_var() as tmp, each_database(Path(tmp)) as databases:
        for label, env in databases:
            Path(env["ASSURE_VAR_DIR"]).mkdir(parents=True, exist_ok=True)
            assure(env, "migrate", "-v", "0")
            assure(env, "collectstatic", "--no-input", "-v", "0")
            assure(env, "load_demo", "--children", str(args.children))
            history = Path(tmp) / f"history-{label}.csv"
            write = ("--write", str(history), "--escalations", str(args.escalations))
            rows = run_measure(env, *write)["rows"]
            began = time.perf_counter()
            assure(env, "import-escalations", str(history))
            imported = time.perf_counter() - began
            figures = run_measure(env, "--measure")
            window = ("--from", START.isoformat(), "--to", AS_OF.isoformat(), "--json")
            process = {
                "help": process_seconds(env, "--help"),
                "command": process_seconds(env, "escalations", *window),
            }
            password = (Path(env["ASSURE_VAR_DIR"]) / "demo_password").read_text().strip()
            pages = time_pages(env, password)
            ok = report(label, rows, imported, figures, process, pages) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
