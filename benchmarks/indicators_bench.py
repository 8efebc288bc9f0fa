"""Issue: the whole indicator catalogue against a plain pandas version of three indicators.

A synthetic authority (`assure synth`, 100,000 children by default) is generated once, then on
each database (SQLite and, when DATABASE_URL names one, a scratch PostgreSQL database) it is
imported, and one Python process times, best of 3:

- Assure: `compute_all` for the 12 months to the extract date (the whole catalogue), after a
  first computation that builds the snapshot's stored columns (reported on its own: the
  post-import task does it in production, ADR 5);
- pandas: `icpc_15wd_strategy`, `core_group_first_10wd` and `rcpc_timeliness` computed from the
  generated CSV files with ordinary pandas reads, merges and group-bys (CSV reads included).

Both must give the same met / late / overdue counts for those three indicators. Target: Assure's
whole catalogue takes less time than pandas needs for the three, both in elapsed time and in CPU
time of the process (all its threads; the figure that holds on a loaded machine). The catalogue
must include section 9's `supervision_4w` and `csafe_oversight_4w` with data: their counts are
printed, and the benchmark fails without them.

    .venv/bin/python -m benchmarks.indicators_bench [--children N]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from benchmarks.common import ROOT, assure, each_database, scratch_env, temp_var

AS_OF = date(2026, 10, 31)
COMPARED = ("icpc_15wd_strategy", "core_group_first_10wd", "rcpc_timeliness")
COUNTS = ("met", "late", "overdue")
NEW = ("supervision_4w", "csafe_oversight_4w")  # docs/domain.md section 9
NEW_COUNTS = ("met", "late", "overdue", "upcoming", "void")
RUNS = 3
TIMEOUT = 1800  # seconds for any one step


# ---- the pandas side --------------------------------------------------------------------------


def pandas_counts(folder: Path, start: date, end: date) -> dict[str, dict[str, int]]:
    """The three indicators' met / late / overdue counts, computed with plain pandas."""
    import pandas as pd

    from assure.core import calendar

    to = pd.Timestamp(end)
    first = pd.Timestamp(start)

    def read(name: str, columns: dict[str, str], dates: list[str]) -> pd.DataFrame:
        frame = pd.read_csv(
            folder / f"{name}.csv", usecols=list(columns), dtype=str, keep_default_na=False
        ).rename(columns=columns)
        for column in dates:
            frame[column] = pd.to_datetime(frame[column], format="%Y-%m-%d", errors="coerce")
        return frame

    def after_working_days(days: pd.Series, n: int) -> pd.Series:
        wanted = [d.date() for d in days.dropna().unique()]
        table = {
            pd.Timestamp(d): pd.Timestamp(due)
            for d, due in calendar.due_after_working_days_map(wanted, n).items()
        }
        return days.map(table)

    def as_at_to(dates: pd.Series) -> pd.Series:
        """Anything dated after `to` has not happened yet."""
        return dates.where(dates <= to)

    def status(frame: pd.DataFrame) -> pd.Series:
        """met / late / overdue / upcoming / void from due, done and ended (all as at `to`)."""
        done, due, ended = frame["done"], frame["due"], frame["ended"]
        void = ended.notna() & (ended <= due) & (done.isna() | (done > ended))
        result = pd.Series("overdue", index=frame.index)
        result[due > to] = "upcoming"
        result[done.notna()] = "late"
        result[done.notna() & (done <= due)] = "met"
        result[void] = "void"
        return result

    def tally(frame: pd.DataFrame) -> dict[str, int]:
        kept = frame[(frame["due"] >= first) & (frame["due"] <= to)]
        counts = status(kept).value_counts()
        return {name: int(counts.get(name, 0)) for name in COUNTS}

    people = read("ssd_person", {"pers_person_id": "person", "pers_death_date": "died"}, ["died"])
    people["died"] = as_at_to(people["died"])
    died = people.dropna(subset=["died"]).set_index("person")["died"]

    def ended(frame: pd.DataFrame, *columns: str) -> pd.Series:
        """The earliest of the columns and the child's death, each on or before `to`."""
        dates = [as_at_to(frame[c]) for c in columns] + [frame["person"].map(died)]
        return pd.concat(dates, axis=1).min(axis=1)

    # icpc_15wd_strategy: the earliest strategy discussion of each s47 starts the clock.
    s47 = read(
        "ssd_s47_enquiry",
        {
            "s47e_s47_enquiry_id": "s47",
            "s47e_person_id": "person",
            "s47e_s47_start_date": "start",
            "s47e_s47_end_date": "end",
            "s47e_s47_nfa": "nfa",
        },
        ["start", "end"],
    )
    s47 = s47[s47["start"] <= to]
    strategy = read(
        "assure_strategy_discussions",
        {"stra_s47_enquiry_id": "s47", "stra_date": "date"},
        ["date"],
    )
    clock = (
        strategy[(strategy["s47"] != "") & (strategy["date"] <= to)].groupby("s47")["date"].min()
    )
    icpc = read(
        "ssd_initial_cp_conference",
        {
            "icpc_s47_enquiry_id": "s47",
            "icpc_icpc_transfer_in": "transfer_in",
            "icpc_icpc_date": "date",
        },
        ["date"],
    )
    icpc = icpc[(icpc["s47"] != "") & (icpc["date"].isna() | (icpc["date"] <= to))]
    transferred = set(icpc.loc[icpc["transfer_in"] == "Y", "s47"])
    held = icpc[(icpc["transfer_in"] != "Y") & icpc["date"].notna()].groupby("s47")["date"].min()
    enquiries = s47[~s47["s47"].isin(transferred)].merge(
        clock.rename("clock"), left_on="s47", right_index=True
    )
    enquiries["due"] = after_working_days(enquiries["clock"], 15)
    enquiries["done"] = enquiries["s47"].map(held)
    enquiries["end"] = enquiries["end"].where(enquiries["nfa"] == "Y")
    enquiries["ended"] = ended(enquiries, "end")

    # core_group_first_10wd: each plan's first core group.
    plans = read(
        "ssd_cp_plans",
        {
            "cppl_cp_plan_id": "plan",
            "cppl_person_id": "person",
            "cppl_cp_plan_start_date": "start",
            "cppl_cp_plan_end_date": "end",
        },
        ["start", "end"],
    )
    plans = plans[plans["start"] <= to]
    plans["ended"] = ended(plans, "end")
    groups = read(
        "assure_core_groups", {"cogr_cp_plan_id": "plan", "cogr_meeting_date": "date"}, ["date"]
    )
    first_group = groups[groups["date"] <= to].groupby("plan")["date"].min()
    core = plans.assign(
        due=after_working_days(plans["start"], 10), done=plans["plan"].map(first_group)
    )

    # rcpc_timeliness: a chain from the plan's start through its review conferences.
    reviews = read(
        "ssd_cp_reviews", {"cppr_cp_plan_id": "plan", "cppr_cp_review_date": "date"}, ["date"]
    )
    reviews = reviews[reviews["date"] <= to].drop_duplicates()
    reviews = reviews.merge(plans[["plan", "start"]], on="plan")
    reviews = reviews[reviews["date"] > reviews["start"]][["plan", "date"]]
    events = pd.concat([plans[["plan", "start"]].rename(columns={"start": "date"}), reviews])
    events = events.sort_values(["plan", "date"], ignore_index=True)
    events["done"] = events.groupby("plan")["date"].shift(-1)
    events["number"] = events.groupby("plan").cumcount() + 1
    links = events.merge(plans[["plan", "ended"]], on="plan")
    links = links[links["ended"].isna() | (links["date"] < links["ended"])].copy()
    links["due"] = links["date"] + pd.DateOffset(months=6)
    firsts = links["number"] == 1
    links.loc[firsts, "due"] = links.loc[firsts, "date"] + pd.DateOffset(months=3)

    return {
        "icpc_15wd_strategy": tally(enquiries),
        "core_group_first_10wd": tally(core),
        "rcpc_timeliness": tally(links),
    }


# ---- the measuring process (run with the database's environment) ------------------------------


def best_of(runs: int, work: Any) -> tuple[float, float, Any]:
    """The least elapsed and the least CPU seconds (of the whole process) of `runs` runs."""
    best, cpu, value = float("inf"), float("inf"), None
    for _ in range(runs):
        began, began_cpu = time.perf_counter(), time.process_time()
        value = work()
        cpu = min(cpu, time.process_time() - began_cpu)
        best = min(best, time.perf_counter() - began)
    return best, cpu, value


def measure(folder: Path) -> dict[str, Any]:
    import django

    django.setup()
    from assure.accounts.models import Partnership
    from assure.core.calendar import add_months
    from assure.indicators.engine import compute_all

    partnership = Partnership.objects.get()
    end = AS_OF
    start = add_months(end, -12) + timedelta(days=1)
    # The first computation after an import builds the snapshot's stored columns (in
    # production the post-import task does this); it is reported, not compared.
    first_seconds, first_cpu, _ = best_of(1, lambda: compute_all(partnership.pk, start, end))
    assure_seconds, assure_cpu, results = best_of(
        RUNS, lambda: compute_all(partnership.pk, start, end)
    )
    pandas_seconds, pandas_cpu, theirs = best_of(RUNS, lambda: pandas_counts(folder, start, end))
    ours = {
        r.indicator.id: {name: getattr(r, name) for name in COUNTS}
        for r in results
        if r.indicator.id in COMPARED
    }
    new = {
        r.indicator.id: {name: getattr(r, name) for name in NEW_COUNTS}
        for r in results
        if r.indicator.id in NEW and r.has_data
    }
    return {
        "first": first_seconds,
        "first_cpu": first_cpu,
        "assure": assure_seconds,
        "assure_cpu": assure_cpu,
        "pandas": pandas_seconds,
        "pandas_cpu": pandas_cpu,
        "indicators": len(results),
        "ours": ours,
        "theirs": theirs,
        "new": new,
        "window": [start.isoformat(), end.isoformat()],
    }


def run_measure(env: dict[str, str], folder: Path) -> dict[str, Any]:
    env = dict(env, DJANGO_SETTINGS_MODULE="assure.config.settings")
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.indicators_bench", "--measure", str(folder)],
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


# ---- the benchmark ----------------------------------------------------------------------------


def synthesise(env: dict[str, str], folder: Path, children: int) -> None:
    assure(env, "synth", "--children", str(children), "--seed", "1", "--out", str(folder),
           "--as-of", AS_OF.isoformat())  # fmt: skip


def report(label: str, children: int, figures: dict[str, Any]) -> bool:
    """Print one database's figures; False when the counts differ."""
    ours, theirs = figures["ours"], figures["theirs"]
    print(
        f"\nIndicators benchmark on {label}: {children:,} children, window "
        f"{figures['window'][0]} to {figures['window'][1]}, best of {RUNS}"
    )
    same = True
    print(f"{'indicator':<24}{'Assure met/late/overdue':>26}{'pandas met/late/overdue':>26}")
    for indicator in COMPARED:
        mine = "/".join(str(ours[indicator][c]) for c in COUNTS)
        other = "/".join(str(theirs[indicator][c]) for c in COUNTS)
        flag = "" if mine == other else "  MISMATCH"
        same = same and not flag
        print(f"{indicator:<24}{mine:>26}{other:>26}{flag}")
    print(f"{'in the catalogue (section 9)':<24}{'/'.join(NEW_COUNTS):>52}")
    for indicator in NEW:
        counts = figures["new"].get(indicator)
        shown = "/".join(str(counts[c]) for c in NEW_COUNTS) if counts else "MISSING"
        same = same and counts is not None
        print(f"{indicator:<24}{shown:>52}")
    assure_s, pandas_s = figures["assure"], figures["pandas"]
    assure_cpu, pandas_cpu = figures["assure_cpu"], figures["pandas_cpu"]
    print(f"{'side':<44}{'seconds':>9}{'x pandas':>10}{'CPU s':>9}{'x pandas':>10}")
    rows = [
        ("pandas, 3 indicators (baseline, CSV reads in)", pandas_s, pandas_cpu),
        ("Assure, first after import (builds columns)", figures["first"], figures["first_cpu"]),
        (f"Assure, whole catalogue ({figures['indicators']} indicators)", assure_s, assure_cpu),
    ]
    for label, seconds, cpu in rows:
        print(
            f"{label:<44}{seconds:>9.3f}{seconds / pandas_s:>10.2f}"
            f"{cpu:>9.3f}{cpu / pandas_cpu:>10.2f}"
        )
    verdict = "met" if assure_s < pandas_s and assure_cpu < pandas_cpu else "MISSED"
    print(
        f"target: Assure whole catalogue < pandas three indicators (elapsed and CPU): {verdict}"
        f" (pandas / Assure: {pandas_s / assure_s:.2f} elapsed, {pandas_cpu / assure_cpu:.2f} CPU)"
    )
    if not same:
        print(
            "MISMATCH: Assure and pandas count the three indicators differently, or a section 9 "
            "indicator is missing from the catalogue",
            flush=True,
        )
    return same


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=100_000)
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure)))
        return 0
    ok = True
    with temp_var() as tmp, each_database(Path(tmp)) as databases:
        extract = Path(tmp) / "extract"
        began = time.perf_counter()
        env0 = scratch_env(Path(tmp) / "synth")
        env0.pop("DATABASE_URL", None)
        synthesise(env0, extract, args.children)
        print(
            f"Generated {args.children:,} children in {time.perf_counter() - began:.1f}s",
            flush=True,
        )
        for label, env in databases:
            Path(env["ASSURE_VAR_DIR"]).mkdir(parents=True, exist_ok=True)
            assure(env, "migrate", "-v", "0")
            assure(
                env,
                "shell",
                "-c",
                "from assure.accounts.models import Partnership; "
                "Partnership.objects.get_or_create(name='Benchmark')",
            )
            began = time.perf_counter()
            assure(env, "import-cases", str(extract), "--extract-date", AS_OF.isoformat())
            print(f"{label}: imported in {time.perf_counter() - began:.1f}s", flush=True)
            ok = report(label, args.children, run_measure(env, extract)) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
