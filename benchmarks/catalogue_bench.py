"""Issue: the catalogue page for a 100,000-child synthetic authority responds in under 300 ms
(median) on the demo server. The first view computes and stores the window's figures; later
views read them. Baseline: the cookies page on the same server.

For information (no target), the pages computed on every view: an indicator (trend and
breakdowns), the children behind it and the weekly tracker (summary for the whole service).
"""

import argparse
import time
from pathlib import Path

from benchmarks.common import Client, assure, each_database, recovery_codes, served, temp_var

TARGET_MS = 300
LIVE_PAGES = (
    ("indicator page (visits)", "/trackers/cp_visit_10wd/"),
    ("children behind it, page 1", "/trackers/cp_visit_10wd/children/"),
    ("weekly tracker, summary", "/trackers/weekly/"),
)


def measure(
    env: dict[str, str], extract: Path, children: int
) -> tuple[float, float, float, list[float]]:
    assure(env, "migrate", "-v", "0")
    assure(env, "collectstatic", "--no-input", "-v", "0")
    assure(env, "load_demo", "--children", "0")
    assure(env, "import_cases", str(extract))
    password = (Path(env["ASSURE_VAR_DIR"]) / "demo_password").read_text().strip()
    codes = recovery_codes(env, ["chair"])
    with served(env) as url:
        chair = Client(url)
        chair.sign_in("chair", password, codes["chair"][0])
        start = time.perf_counter()
        chair.get("/trackers/")
        first = (time.perf_counter() - start) * 1000
        live = [chair.median_ms(path, runs=5, warm=1) for _, path in LIVE_PAGES]
        return chair.median_ms("/cookies/"), first, chair.median_ms("/trackers/", runs=20), live


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--children", type=int, default=100_000)
    children = parser.parse_args().children
    with temp_var() as folder, each_database(Path(folder)) as databases:
        extract = Path(folder) / "extract"
        for label, env in databases:
            if not extract.exists():
                assure(
                    env, "synth", "--children", str(children), "--seed", "1", "--out", str(extract)
                )
            baseline, first, median, live = measure(env, extract, children)
            verdict = "met" if median < TARGET_MS else "MISSED"
            print(f"\nCatalogue page on {label}, {children:,} children")
            print(f"{'page':<42}{'ms':>9}{'x baseline':>12}{'target ms':>11}")
            print(f"{'baseline (cookies page)':<42}{baseline:>9.1f}{1:>12.1f}")
            print(f"{'catalogue, first view (computes)':<42}{first:>9.1f}{first / baseline:>12.1f}")
            print(
                f"{'catalogue, median of 20':<42}{median:>9.1f}{median / baseline:>12.1f}"
                f"{TARGET_MS:>11}{verdict:>8}"
            )
            for (name, _), ms in zip(LIVE_PAGES, live, strict=True):
                print(f"{name + ', median of 5':<42}{ms:>9.1f}{ms / baseline:>12.1f}")


if __name__ == "__main__":
    main()
