"""Issue 18: checking a Children in Need census with all of the DfE's child protection rules.

`assure import-cin FILE --check-only --json` (read, map onto the contract's tables, every rule
of `assure.casedata.cinrules`) on synthetic censuses (`assure synth --cin`) of 3,320 and 33,200
children, each in its own process whose peak resident memory is read from `wait4`. Targets:
under 4 s for 33,200 children, linear in children (the larger run within 10 times the smaller,
plus a second's start-up), peak memory under 500 MB. No database is written: `--check-only`.

Run as `python -m benchmarks.cin_bench`.
"""

import json
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


def main() -> None:
    results = []
    with temp_var() as folder, tempfile.TemporaryDirectory() as scratch:
        env = scratch_env(Path(folder))
        env.pop("DATABASE_URL", None)
        for size in SIZES:
            census = Path(scratch) / f"cin-{size}.xml"
            write_census(census, size)
            megabytes = census.stat().st_size / 1e6
            seconds, peak, out = run_measured(
                env, "import-cin", str(census), "--check-only", "--json"
            )
            report = json.loads(out)
            assert report["children"] == size
            errors = sum(p["severity"] == "error" for p in report["problems"])
            results.append((size, megabytes, seconds, peak, errors, len(report["problems"])))
    print(f"\nCIN census check, all rules: targets {TARGET_S:.0f} s and {TARGET_PEAK_MB:.0f} MB")
    print(f"{'children':>9}{'MB':>7}{'seconds':>9}{'peak MB':>9}{'errors':>8}{'problems':>10}")
    for size, megabytes, seconds, peak, errors, problems in results:
        print(f"{size:>9,}{megabytes:>7.0f}{seconds:>9.2f}{peak:>9.0f}{errors:>8}{problems:>10}")
    (small, _, small_s, _, _, _), (large, _, large_s, large_peak, _, _) = results
    linear = large_s <= (large / small) * small_s + 1.0
    met = large_s < TARGET_S and large_peak < TARGET_PEAK_MB and linear
    print(
        f"{large:,} children in {large_s:.2f} s ({large_s / small_s:.1f}x the time of "
        f"{small:,}), peak {large_peak:.0f} MB: {'met' if met else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
