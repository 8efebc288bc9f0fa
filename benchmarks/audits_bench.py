"""Issue 10: drawing a case audit sample for every built-in tool from a 100,000-child snapshot
(target under 1 s each), and auditor-moderator agreement over 100,000 moderated pairs (under
1 s).

A synthetic authority (`assure synth`) is imported on each database (SQLite and, when
DATABASE_URL names one, a scratch PostgreSQL database); one Python process then times, best of 3:

- baseline: the Django ORM listing every CP plan of the partnership (person, start, end), the
  least a queryset-based sampler would read;
- a sample of 5 per team for each tool for the month before the extract date, after a first
  draw that builds the snapshot's stored columns (reported on its own);
- agreement (percent, kappa, weighted kappa) over 100,000 pairs, overall and per tool and
  question, beside a plain `Counter` of the same pairs (the least any count of them costs), and
  reading the same pairs from a moderation sheet (for information).

    .venv/bin/python -m benchmarks.audits_bench [--children N]
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

from benchmarks.common import ROOT, assure, each_database, scratch_env, temp_var

AS_OF = date(2026, 10, 31)
MONTH = date(2026, 9, 1)
PER_TEAM = 5
PAIRS = 100_000
RUNS = 3
TARGET_S = 1.0
TIMEOUT = 1800  # seconds for any one step


def best_of(runs: int, work: Any) -> tuple[float, Any]:
    best, value = float("inf"), None
    for _ in range(runs):
        began = time.perf_counter()
        value = work()
        best = min(best, time.perf_counter() - began)
    return best, value


def synthetic_pairs(count: int) -> list[Any]:
    """Moderated pairs over 6 tools of 8 questions (2 answered yes/no), agreeing about 70% of
    the time and otherwise mostly one grade apart."""
    from assure.audits.agreement import ANSWERS, GRADES, Pair

    rng = random.Random(10)
    tools = ["cp-plan-quality", "core-groups", "conference-minutes", "csafe", "legal-planning",
             "management-oversight"]  # fmt: skip
    pairs = []
    for n in range(count):
        question = f"q{n % 8 + 1}"
        words = ANSWERS if question in ("q7", "q8") else GRADES
        first = rng.randrange(len(words))
        second = (
            first
            if rng.random() < 0.7
            else min(len(words) - 1, max(0, first + rng.choice((-1, 1, 2))))
        )
        pairs.append(Pair(tools[n % len(tools)], question, f"auditor {n % 40}",
                          f"2026-{n % 12 + 1:02}", words[first], words[second]))  # fmt: skip
    return pairs


def measure() -> dict[str, Any]:
    import django

    django.setup()
    from assure.accounts.models import Partnership
    from assure.audits.agreement import agreement, agreement_by, read_moderation_sheet
    from assure.audits.sampling import TOOLS, draw_sample
    from assure.casedata.models import CPPlan, ImportSnapshot

    partnership = Partnership.objects.get()
    snapshot = ImportSnapshot.current(partnership)
    assert snapshot is not None
    baseline, _ = best_of(
        RUNS,
        lambda: list(
            CPPlan.objects.filter(partnership=partnership).values_list(
                "person_id", "start_date", "end_date"
            )
        ),
    )
    first, _ = best_of(1, lambda: draw_sample(snapshot, "cp-plan-quality", MONTH, PER_TEAM, 1))
    tools = {}
    for tool in TOOLS:
        seconds, sample = best_of(RUNS, lambda t=tool: draw_sample(snapshot, t, MONTH, PER_TEAM, 1))
        tools[tool] = {
            "seconds": seconds,
            "eligible": sum(sample.eligible_by_team.values()),
            "teams": len(sample.eligible_by_team),
            "sampled": len(sample.sample),
        }

    pairs = synthetic_pairs(PAIRS)
    counter, _ = best_of(RUNS, lambda: Counter((p.first, p.second) for p in pairs))
    overall_s, overall = best_of(RUNS, lambda: agreement(pairs))
    grouped_s, groups = best_of(RUNS, lambda: agreement_by(pairs, "tool", "question"))
    with tempfile.TemporaryDirectory(prefix="assure-bench-sheet-") as folder:
        path = Path(folder) / "moderation.csv"
        with path.open("w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow(["audit_id", "team", "tool", "question", "auditor", "auditor_grade",
                             "moderator_grade"])  # fmt: skip
            for n, p in enumerate(pairs):
                writer.writerow([f"A{n // 8}", "Team A", p.tool, p.question, p.auditor, p.first,
                                 p.second])  # fmt: skip
        sheet_s, sheet = best_of(1, lambda: read_moderation_sheet(path))
    assert not sheet.problems
    assert len(sheet.pairs) == PAIRS
    return {
        "baseline": baseline,
        "plans": CPPlan.objects.filter(partnership=partnership).count(),
        "first": first,
        "tools": tools,
        "counter": counter,
        "agreement": overall_s,
        "grouped": grouped_s,
        "groups": len(groups),
        "sheet": sheet_s,
        "overall": overall.to_json() | {"reading": overall.reading},
    }


def run_measure(env: dict[str, str]) -> dict[str, Any]:
    env = dict(env, DJANGO_SETTINGS_MODULE="assure.config.settings")
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.audits_bench", "--measure"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=TIMEOUT,
    )
    if result.returncode:
        raise SystemExit(f"measuring failed:\n{result.stderr[-3000:]}")
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def report(label: str, children: int, figures: dict[str, Any]) -> bool:
    """Print one database's figures; False when a target is missed."""
    ok = True
    base = figures["baseline"]
    print(
        f"\nAudit samples on {label}: {children:,} children ({figures['plans']:,} CP plans), "
        f"month {MONTH:%Y-%m}, {PER_TEAM} per team, best of {RUNS}"
    )
    print(f"{'':<44}{'seconds':>9}{'x base':>8}{'eligible':>10}{'teams':>7}{'drawn':>7}")
    print(f"{'baseline: ORM lists every CP plan':<44}{base:>9.3f}{1:>8.2f}")
    first = figures["first"]
    print(f"{'first draw (builds stored columns)':<44}{first:>9.3f}{first / base:>8.2f}")
    for tool, row in figures["tools"].items():
        verdict = "met" if row["seconds"] < TARGET_S else "MISSED"
        ok = ok and verdict == "met"
        print(
            f"{tool:<44}{row['seconds']:>9.3f}{row['seconds'] / base:>8.2f}{row['eligible']:>10,}"
            f"{row['teams']:>7}{row['sampled']:>7}  {verdict}"
        )
    counter = figures["counter"]
    print(f"\nAgreement over {PAIRS:,} pairs, best of {RUNS}")
    print(f"{'':<44}{'seconds':>9}{'x base':>8}")
    print(f"{'baseline: Counter of the pairs':<44}{counter:>9.3f}{1:>8.2f}")
    for name, key in (
        ("overall (percent, kappa, weighted kappa)", "agreement"),
        (f"per tool and question ({figures['groups']} groups)", "grouped"),
        ("reading them from a moderation sheet (once)", "sheet"),
    ):
        seconds = figures[key]
        verdict = "" if key == "sheet" else "  met" if seconds < TARGET_S else "  MISSED"
        ok = ok and verdict != "  MISSED"
        print(f"{name:<44}{seconds:>9.3f}{seconds / counter:>8.2f}{verdict}")
    print(f"overall figures: {figures['overall']}")
    print(f"target: each under {TARGET_S:.0f} s: {'met' if ok else 'MISSED'}", flush=True)
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=100_000)
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure()))
        return 0
    ok = True
    with temp_var() as tmp, each_database(Path(tmp)) as databases:
        extract = Path(tmp) / "extract"
        began = time.perf_counter()
        env0 = scratch_env(Path(tmp) / "synth")
        env0.pop("DATABASE_URL", None)
        assure(env0, "synth", "--children", str(args.children), "--seed", "1", "--out",
               str(extract), "--as-of", AS_OF.isoformat())  # fmt: skip
        print(f"Generated {args.children:,} children in {time.perf_counter() - began:.1f}s")
        for label, env in databases:
            Path(env["ASSURE_VAR_DIR"]).mkdir(parents=True, exist_ok=True)
            assure(env, "migrate", "-v", "0")
            assure(env, "shell", "-c", "from assure.accounts.models import Partnership; "
                   "Partnership.objects.get_or_create(name='Benchmark')")  # fmt: skip
            began = time.perf_counter()
            assure(env, "import-cases", str(extract), "--extract-date", AS_OF.isoformat())
            print(f"{label}: imported in {time.perf_counter() - began:.1f}s", flush=True)
            ok = report(label, args.children, run_measure(env)) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
