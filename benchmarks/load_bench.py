"""Issue 17: many people at once. 50 signed-in people (password and second factor), each
going through their everyday pages with a pause between pages as a person reads one: a think
time drawn uniformly from 2 to 10 seconds (mean 6 s; people reading a tracker or an action
take longer, so this is harsher than a partnership's day), on the production server
(`assure serve`: 2 gunicorn workers of 4 threads, and the background worker) over the demo's
data. `--think 0` asks with no pause at all, which measures capacity, not people. Target: p95
under 500 ms and no errors on a 2-core machine. Baseline: an anonymous visitor reading the
cookies page in the same run (with the same pauses), which shows the queueing every request
meets.
"""

import argparse
import os
import random
import statistics
import threading
import time
import urllib.error
from collections import defaultdict
from pathlib import Path

from benchmarks.common import (
    Client,
    assure,
    cpu_seconds,
    each_database,
    production_served,
    recovery_codes,
    temp_var,
)

TARGET_P95_MS = 500
THINK_SECONDS = (2.0, 10.0)  # a person's pause between pages, uniformly drawn
# Demo people and the pages they use day to day (every one answers them with 200).
JOURNEYS = {
    "manager": ["/", "/reviews/", "/reviews/actions/", "/trackers/"],
    "learning": ["/", "/reviews/actions/awaiting-assurance/", "/reviews/actions/", "/trackers/"],
    "police": ["/", "/reviews/actions/mine/", "/reviews/actions/", "/trackers/"],
    "health": ["/", "/reviews/actions/mine/", "/reviews/"],
    "board": ["/", "/reviews/", "/trackers/"],
    "chair": ["/", "/trackers/", "/trackers/cp_visit_10wd/", "/trackers/weekly/"],
    "headofservice": ["/", "/trackers/", "/trackers/core_group_interval/", "/trackers/weekly/"],
    "teammanager": ["/", "/trackers/weekly/", "/trackers/"],
}


LOAD_BEFORE = [0.0]  # the machine's load average as the run started (others' work shows)


class Recorder:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)

    def add(self, path: str, ms: float, ok: bool) -> None:
        with self.lock:
            self.times[path].append(ms)
            if not ok:
                self.errors[path] += 1


def visit(client: Client, path: str, recorder: Recorder) -> None:
    start = time.perf_counter()
    try:
        status, _ = client.get(path)
        ok = status == 200
    except (urllib.error.URLError, OSError):
        ok = False
    recorder.add(path, (time.perf_counter() - start) * 1000, ok)


class Start:
    """Everyone signs in first; the clock starts when the last one has."""

    def __init__(self, parties: int, seconds: int) -> None:
        self.seconds = seconds
        self.started = self.until = 0.0
        self.barrier = threading.Barrier(parties, action=self._go)

    def _go(self) -> None:
        self.started = time.monotonic()
        self.until = self.started + self.seconds

    def wait(self) -> float:
        self.barrier.wait()
        return self.until


class Pause:
    """A person's pause between pages: uniform over (low, high) seconds; none when high is 0."""

    def __init__(self, low: float, high: float, seed: int) -> None:
        self.low, self.high = low, high
        self.random = random.Random(seed)

    def __call__(self, until: float) -> None:
        if self.high:
            time.sleep(
                max(0.0, min(self.random.uniform(self.low, self.high), until - time.monotonic()))
            )


def person(
    url: str,
    username: str,
    password: str,
    code: str,
    start: Start,
    recorder: Recorder,
    pause: Pause,
) -> None:
    client = Client(url)
    client.sign_in(username, password, code)
    pages = JOURNEYS[username]
    until = start.wait()
    pause(until)  # people do not all arrive in the same second
    step = pause.random.randrange(len(pages))
    while time.monotonic() < until:
        visit(client, pages[step % len(pages)], recorder)
        step += 1
        pause(until)


def visitor(url: str, start: Start, recorder: Recorder, pause: Pause) -> None:
    client = Client(url)
    until = start.wait()
    while time.monotonic() < until:
        visit(client, "/cookies/", recorder)
        pause(until)


def percentiles(times: list[float]) -> tuple[float, float, float]:
    cuts = statistics.quantiles(times, n=100, method="inclusive")
    return cuts[49], cuts[94], cuts[98]


def run_load(
    url: str,
    password: str,
    codes: dict[str, list[str]],
    users: int,
    seconds: int,
    think: tuple[float, float],
) -> tuple[Recorder, float]:
    recorder = Recorder()
    names = list(JOURNEYS)
    start = Start(users + 1, seconds)
    threads = []
    for i in range(users):
        name = names[i % len(names)]
        code = codes[name][i // len(names)]  # each recovery code works once
        pause = Pause(*think, seed=i)
        threads.append(
            threading.Thread(
                target=person, args=(url, name, password, code, start, recorder, pause)
            )
        )
    pause = Pause(*think, seed=users)
    threads.append(threading.Thread(target=visitor, args=(url, start, recorder, pause)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return recorder, time.monotonic() - start.started


def report(
    label: str,
    recorder: Recorder,
    elapsed: float,
    users: int,
    workers: int,
    think: tuple[float, float],
) -> None:
    everyone = [
        ms for path, ms_list in recorder.times.items() if path != "/cookies/" for ms in ms_list
    ]
    errors = sum(n for path, n in recorder.errors.items() if path != "/cookies/")
    p50, p95, p99 = percentiles(everyone)
    verdict = "met" if p95 < TARGET_P95_MS and not errors else "MISSED"
    pauses = f"pauses of {think[0]:g}-{think[1]:g} s" if think[1] else "no pauses"
    threads = os.environ.get("ASSURE_WEB_THREADS", "4")
    print(
        f"\n{users} signed-in people on {label}, {pauses}, {workers} workers of {threads} "
        f"threads, {elapsed:.0f} s; load average before: {LOAD_BEFORE[0]:.1f}"
    )
    print(f"requests a second: {len(everyone) / elapsed:.1f}; errors: {errors}")
    print(f"{'page':<42}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}")
    print(f"{'all pages':<42}{len(everyone):>9}{p50:>9.0f}{p95:>9.0f}{p99:>9.0f}{errors:>8}")
    for path in sorted(recorder.times):
        p50, p95, p99 = percentiles(recorder.times[path])
        name = f"{path} (baseline)" if path == "/cookies/" else path
        print(
            f"{name:<42}{len(recorder.times[path]):>9}{p50:>9.0f}{p95:>9.0f}{p99:>9.0f}"
            f"{recorder.errors[path]:>8}"
        )
    print(f"target: p95 under {TARGET_P95_MS} ms and no errors: {verdict}")


def report_cpu(
    before: dict[str, float], after: dict[str, float], recorder: Recorder, elapsed: float
) -> None:
    """The server's own CPU time per request (what queueing cannot inflate much), and the
    background worker's."""
    spent = {key: seconds - before.get(key, 0.0) for key, seconds in after.items()}
    web = sum(seconds for key, seconds in spent.items() if key.endswith("web"))
    worker = sum(seconds for key, seconds in spent.items() if key.endswith("worker"))
    requests = sum(len(times) for times in recorder.times.values())
    print(
        f"server CPU: {web * 1000 / requests:.1f} ms a request ({web:.1f} s over {requests} "
        f"requests, {web / elapsed:.0%} of one core); background worker {worker:.1f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--children", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--think",
        type=float,
        nargs=2,
        default=THINK_SECONDS,
        metavar=("LOW", "HIGH"),
        help="a person's pause between pages, in seconds (0 0: no pause)",
    )
    options = parser.parse_args()
    think = (options.think[0], options.think[1])
    with temp_var() as folder, each_database(Path(folder)) as databases:
        for label, env in databases:
            assure(env, "migrate", "-v", "0")
            assure(env, "collectstatic", "--no-input", "-v", "0")
            assure(env, "load_demo", "--children", str(options.children))
            password = (Path(env["ASSURE_VAR_DIR"]) / "demo_password").read_text().strip()
            codes = recovery_codes(env, list(JOURNEYS))
            with production_served(env, options.workers) as (url, pid):
                LOAD_BEFORE[0] = os.getloadavg()[0]
                before = cpu_seconds(pid)
                recorder, elapsed = run_load(
                    url, password, codes, options.users, options.seconds, think
                )
                used = cpu_seconds(pid)
            report(label, recorder, elapsed, options.users, options.workers, think)
            report_cpu(before, used, recorder, elapsed)


if __name__ == "__main__":
    main()
