"""Issue 14: importing 100,000 training attendance rows (target under 10 s), and the reach page
for 20 courses over those rows (target: median under 300 ms).

On each database (SQLite and, when DATABASE_URL names one, a scratch PostgreSQL database):

- a 100,000-row attendance CSV (20 courses, 7 agencies, 8 roles, confidence on most rows) is
  imported with `assure import-training`, timed as a whole command, beside `assure check`
  (the cost of starting a command at all) in the same run;
- the workforce page (/workforce/: every course's reach for the last 12 months) is served by
  the demo server, median of 30 requests for a partnership manager, beside the cookies page.

The catalogue with the two new indicators (`supervision_4w`, `csafe_oversight_4w`) against
pandas is `benchmarks.indicators_bench`: `compute_all` computes every registered indicator.

    .venv/bin/python -m benchmarks.workforce_bench [--rows N]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from benchmarks.common import (
    ROOT,
    Client,
    assure,
    each_database,
    recovery_codes,
    served,
    temp_var,
)

COURSES = 20
IMPORT_TARGET_S = 10.0
PAGE_TARGET_MS = 300
RUNS = 30
ROLES = ("social_worker", "school_nurse", "health_visitor", "midwife", "gp", "police_cae", "dsl",
         "other")  # fmt: skip
AGENCIES = tuple(f"Bench agency {n}" for n in range(1, 8))


def write_attendance(path: Path, rows: int, today: date) -> None:
    rng = random.Random(14)
    seen: set[tuple[int, date, str, str]] = set()
    lines = ["course,session_date,agency,role,attendee_ref,attended,confidence_before,"
             "confidence_after"]  # fmt: skip
    for n in range(rows):
        session = today - timedelta(days=rng.randint(1, 360))
        before = rng.randint(1, 4)
        after = min(5, before + rng.choice((0, 1, 1, 2)))
        scores = f"{before},{after}" if rng.random() < 0.8 else ","
        course, agency, ref = n % COURSES + 1, rng.choice(AGENCIES), f"R{rng.randint(1, 30_000)}"
        if (course, session, agency, ref) in seen:
            ref = f"X{n}"  # one row per attendee and session
        seen.add((course, session, agency, ref))
        lines.append(
            f"Course {course},{session.isoformat()},{agency},{rng.choice(ROLES)},{ref},"
            f"{'Y' if rng.random() < 0.9 else 'N'},{scores}"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def populate(password: str) -> dict[str, Any]:
    """The agencies, their declared workforce, and a partnership manager."""
    import django

    django.setup()
    from assure.accounts.models import Agency, Partnership, Role, RoleGrant, User
    from assure.workforce.models import WorkforceDeclaration

    partnership, _ = Partnership.objects.get_or_create(name="Benchmark")
    agencies = [
        Agency.objects.create(partnership=partnership, name=name, agency_type="other")
        for name in AGENCIES
    ]
    manager = User.objects.create_user("bench-manager", password=password, agency=agencies[0])
    RoleGrant.objects.create(user=manager, role=Role.PARTNERSHIP_MANAGER)
    WorkforceDeclaration.objects.bulk_create(
        WorkforceDeclaration(
            partnership=partnership,
            agency=a,
            role=role,
            headcount=2000,
            as_of=date(2025, 1, 1),
        )
        for a in agencies
        for role in ROLES
    )
    return {"agencies": len(agencies)}


def run_populate(env: dict[str, str], password: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.workforce_bench", "--populate"],
        env=dict(env, DJANGO_SETTINGS_MODULE="assure.config.settings", BENCH_PASSWORD=password),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        raise SystemExit(f"populating failed:\n{result.stderr[-3000:]}")


def timed(work: Any) -> float:
    began = time.perf_counter()
    work()
    return time.perf_counter() - began


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--populate", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.populate:
        print(json.dumps(populate(os.environ["BENCH_PASSWORD"])))
        return 0
    ok = True
    today = date.today()
    with temp_var() as tmp, each_database(Path(tmp)) as databases:
        attendance = Path(tmp) / "attendance.csv"
        write_attendance(attendance, args.rows, today)
        for label, env in databases:
            Path(env["ASSURE_VAR_DIR"]).mkdir(parents=True, exist_ok=True)
            assure(env, "migrate", "-v", "0")
            password = secrets.token_urlsafe(16)
            run_populate(env, password)
            base = timed(lambda env=env: assure(env, "check"))
            seconds = timed(
                lambda env=env: assure(
                    env, "import-training", str(attendance), "--as", "bench-manager"
                )
            )
            verdict = "met" if seconds < IMPORT_TARGET_S else "MISSED"
            ok = ok and verdict == "met"
            print(f"\nWorkforce on {label}: {args.rows:,} attendance rows, {COURSES} courses")
            print(f"{'':<44}{'seconds':>9}{'target':>8}")
            print(f"{'baseline: assure check':<44}{base:>9.2f}")
            print(f"{'assure import-training':<44}{seconds:>9.2f}{IMPORT_TARGET_S:>8}  {verdict}")
            assure(env, "collectstatic", "--no-input", "-v", "0")
            codes = recovery_codes(env, ["bench-manager"])
            with served(env) as url:
                client = Client(url)
                client.sign_in("bench-manager", password, codes["bench-manager"][0])
                cookies = client.median_ms("/cookies/", runs=RUNS)
                page = client.median_ms("/workforce/", runs=RUNS)
            verdict = "met" if page < PAGE_TARGET_MS else "MISSED"
            ok = ok and verdict == "met"
            print(f"{'page (median of 30)':<44}{'ms':>9}{'x base':>8}{'target':>8}")
            print(f"{'baseline: cookies page':<44}{cookies:>9.1f}{1:>8.2f}")
            print(f"{'reach page, 20 courses':<44}{page:>9.1f}{page / cookies:>8.2f}"
                  f"{PAGE_TARGET_MS:>8}  {verdict}")  # fmt: skip
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
