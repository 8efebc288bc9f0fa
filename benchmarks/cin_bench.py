"""Issue 18: checking a Children in Need census with all of the DfE's child protection rules.

`assure import-cin FILE --check-only --json` (read, map onto the contract's tables, every rule
of `assure.casedata.cinrules`) on synthetic censuses (`assure synth --cin`) of 3,320 and 33,200
children, each in its own process whose peak resident memory is read from `wait4`. Targets:
under 4 s for 33,200 children, linear in children (the larger run within 10 times the smaller,
plus a second's start-up), peak memory under 500 MB. No database is written: `--check-only`.
Beside wall time, each run's CPU time (user and system, from the same `wait4`) is shown, and
that of `assure help` (start-up alone), since wall time on a shared machine says little.

Run as `python -m benchmarks.cin_bench`.
"""

import json
import resource
import tempfile
from pathlib import Path

from benchmarks.common import scratch_env, temp_var
from benchmarks.import_bench import run_measured

SIZES = (3_320, 33_200)
TARGET_S = 4.0
TARGET_PEAK_MB = 500.0


def write_census(path: Path, children: int) -> None:
    """A synthetic census of exactly `children` children (about a third of an authority's
    children have an episode in the census year, so it is drawn from four times as many)."""
    from assure.casedata.synth import write_cin_xml

    written = write_cin_xml(path, children * 4, seed=1, at_most=children)
    assert written == children, f"only {written} children in the census"


def _children_cpu() -> float:
    """CPU seconds (user and system) of the processes run and reaped so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_timed(env: dict[str, str], *args: str) -> tuple[float, float, float, str]:
    """`assure ARGS`: wall seconds, CPU seconds, peak RSS in MB and stdout."""
    before = _children_cpu()
    seconds, peak, out = run_measured(env, *args)
    return seconds, _children_cpu() - before, peak, out


def main() -> None:
    results = []
    with temp_var() as folder, tempfile.TemporaryDirectory() as scratch:
        env = scratch_env(Path(folder))
        env.pop("DATABASE_URL", None)
        _, start_cpu, _, _ = run_timed(env, "help")
        for size in SIZES:
            census = Path(scratch) / f"cin-{size}.xml"
            write_census(census, size)
            megabytes = census.stat().st_size / 1e6
            seconds, cpu, peak, out = run_timed(
                env, "import-cin", str(census), "--check-only", "--json"
            )
            report = json.loads(out)
            assert report["children"] == size
            errors = sum(p["severity"] == "error" for p in report["problems"])
            results.append((size, megabytes, seconds, cpu, peak, errors, len(report["problems"])))
    print(f"\nCIN census check, all rules: targets {TARGET_S:.0f} s and {TARGET_PEAK_MB:.0f} MB")
    print(
        f"{'children':>9}{'MB':>7}{'seconds':>9}{'CPU s':>8}{'peak MB':>9}{'errors':>8}"
        f"{'problems':>10}"
    )
    for size, megabytes, seconds, cpu, peak, errors, problems in results:
        print(
            f"{size:>9,}{megabytes:>7.0f}{seconds:>9.2f}{cpu:>8.2f}{peak:>9.0f}{errors:>8}"
            f"{problems:>10}"
        )
    (small, _, small_s, small_cpu, _, _, _), (large, _, large_s, large_cpu, large_peak, _, _) = (
        results
    )
    linear = large_s <= (large / small) * small_s + 1.0
    met = large_s < TARGET_S and large_peak < TARGET_PEAK_MB and linear
    print(
        f"start-up alone (assure help): {start_cpu:.2f} s CPU; checking alone takes "
        f"{large_cpu - start_cpu:.2f} s CPU for {large:,} children, "
        f"{(large_cpu - start_cpu) / (small_cpu - start_cpu):.1f}x that for {small:,}"
    )
    print(
        f"{large:,} children in {large_s:.2f} s ({large_s / small_s:.1f}x the time of "
        f"{small:,}), peak {large_peak:.0f} MB: {'met' if met else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
