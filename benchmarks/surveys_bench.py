"""Issue 12: a survey's results page with 10,000 responses to 20 questions, by agency, median
under 300 ms; 50 concurrent anonymous submissions, p95 under 300 ms and none lost. Served by
the production server (`assure serve`, as `make demo` runs it: 2 gunicorn workers of 4
threads), beside the cookies page in the same run.

The results page is timed twice: as it is asked again, and just after a new answer each time
(so a page kept from the last asking could not pass). Each burst of 50 reports the web
server's CPU per practitioner: 50 of them over 2 cores is the floor of the burst's p95.

    .venv/bin/python -m benchmarks.surveys_bench
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import secrets
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any

from benchmarks.common import (
    ROOT,
    Client,
    assure,
    cpu_seconds,
    each_database,
    production_served,
    recovery_codes,
    temp_var,
)

RESPONSES = 10_000
AGENCIES = 8
CONCURRENT = 50
RUNS = 20
TARGET_MS = 300
TIMEOUT = 1800
WORKERS = 2


def populate(password: str) -> dict[str, Any]:
    """A partnership of 8 agencies and a 20-question survey with 10,000 responses."""
    import django

    django.setup()
    from assure.accounts.models import Agency, Partnership, Role, RoleGrant, User
    from assure.core.viewer import Viewer
    from assure.surveys.models import Answer, Kind, PractitionerRole, Response
    from assure.surveys.services import create_survey, recount
    from assure.surveys.templates import QuestionSpec

    rng = random.Random(12)
    partnership = Partnership.objects.get()
    agencies = [
        Agency.objects.create(partnership=partnership, name=f"Agency {n}", agency_type="other")
        for n in range(AGENCIES)
    ]
    manager = User.objects.create_user("bench-manager", password=password, agency=agencies[0])
    RoleGrant.objects.create(user=manager, role=Role.PARTNERSHIP_MANAGER)
    options = ["Never", "Once", "2 to 5 times", "More than 5 times"]
    questions = (
        [QuestionSpec(Kind.LIKERT, f"Statement {n}") for n in range(1, 13)]
        + [QuestionSpec(Kind.SINGLE, f"Choice {n}", options) for n in range(1, 5)]
        + [QuestionSpec(Kind.MULTIPLE, f"Ticks {n}", options) for n in range(1, 3)]
        + [QuestionSpec(Kind.YES_NO, "Aware?"), QuestionSpec(Kind.TEXT, "Anything else?")]
    )
    survey = create_survey(
        Viewer.of(manager), title="Benchmark survey", introduction="", questions=questions
    )
    stored = list(survey.questions.all())
    roles = list(PractitionerRole.values)
    responses = [
        Response(
            survey=survey,
            agency=agencies[rng.randrange(AGENCIES)],
            role=rng.choice(roles),
            answered_on=date(2026, 11, 1 + n % 28),
        )
        for n in range(RESPONSES)
    ]
    Response.objects.bulk_create(responses, batch_size=2000)
    answers = []
    for response in responses:
        for question in stored:
            if question.kind == Kind.MULTIPLE:
                values = rng.sample(options, rng.randint(1, 2))
            elif question.kind == Kind.TEXT:
                values = ["Synthetic comment"] if rng.random() < 0.1 else []
            else:
                values = [rng.choice(question.choices())[0]]
            answers += [
                Answer(
                    response=response,
                    question=question,
                    survey=survey,
                    agency_id=response.agency_id,
                    role=response.role,
                    value=v,
                )
                for v in values
            ]
    Answer.objects.bulk_create(answers, batch_size=5000)
    recount(survey)  # written in bulk, as an import is: its tallies are made the same way
    link = survey.links.get(agency=agencies[1])
    form = {"role": "police"} | {
        f"q{q.pk}": (q.options[0] if q.kind in (Kind.SINGLE, Kind.MULTIPLE) else
                     "4" if q.kind == Kind.LIKERT else "yes" if q.kind == Kind.YES_NO else "")
        for q in stored
    }  # fmt: skip
    return {
        "survey": survey.pk,
        "token": link.token,
        "form": form,
        "responses": Response.objects.count(),
        "answers": Answer.objects.count(),
    }


def count_responses() -> int:
    import django

    django.setup()
    from assure.surveys.models import Response

    return Response.objects.count()


def submit(
    url: str, token: str, form: dict[str, str], together: threading.Barrier | None = None
) -> tuple[int, float]:
    """One practitioner: open the answer page, then send the answers (the POST and the thank-you
    page it leads to are timed). With `together`, every practitioner has the page open before
    any sends: the 50 submissions arrive at once, not among other people's page loads."""
    client = Client(url)
    page_path = f"/surveys/answer/{token}/"
    _, page = client.get(page_path)
    csrf = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert csrf, "no CSRF token on the answer page"
    data = urllib.parse.urlencode(form | {"csrfmiddlewaretoken": csrf.group(1).decode()}).encode()
    request = urllib.request.Request(
        url + page_path, data=data, headers={"Referer": url + page_path}
    )
    if together is not None:
        together.wait(timeout=120)
    began = time.perf_counter()
    with client.opener.open(request, timeout=60) as response:
        response.read()
        status = response.status
    return status, (time.perf_counter() - began) * 1000


def timed_get(url: str) -> float:
    began = time.perf_counter()
    with urllib.request.urlopen(url + "/cookies/", timeout=60) as response:
        response.read()
    return (time.perf_counter() - began) * 1000


def p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[max(0, int(0.95 * len(ordered)) - 1)]


def run_python(env: dict[str, str], mode: str) -> Any:
    env = dict(env, DJANGO_SETTINGS_MODULE="assure.config.settings")
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.surveys_bench", mode],
        env=env, cwd=ROOT, capture_output=True, text=True, check=False, timeout=TIMEOUT,
    )  # fmt: skip
    if result.returncode:
        raise SystemExit(f"{mode} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def web_cpu(pid: int) -> float:
    """CPU seconds used so far by the web server's processes (not the background worker)."""
    return sum(used for name, used in cpu_seconds(pid).items() if name.endswith("web"))


def after_each_answer(url: str, manager: Client, results: str, made: dict[str, Any]) -> float:
    """Median time of the results page asked just after a new answer, each time."""
    times = []
    for _ in range(RUNS):
        submit(url, made["token"], made["form"])
        began = time.perf_counter()
        status, _ = manager.get(results)
        assert status == 200, f"{results} answered {status}"
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


def measure(label: str, env: dict[str, str]) -> bool:
    password = secrets.token_urlsafe(16)
    made = run_python(dict(env, BENCH_PASSWORD=password), "--populate")
    assure(env, "collectstatic", "--no-input", "-v", "0")
    codes = recovery_codes(env, ["bench-manager"])
    with production_served(env, WORKERS) as (url, pid):
        manager = Client(url)
        manager.sign_in("bench-manager", password, codes["bench-manager"][0])
        results = f"/surveys/{made['survey']}/?by=agency"
        baseline = manager.median_ms("/cookies/", runs=RUNS)
        page = manager.median_ms(results, runs=RUNS)
        fresh = after_each_answer(url, manager, results, made)
        load = os.getloadavg()[0]
        before = web_cpu(pid)
        with ThreadPoolExecutor(CONCURRENT) as pool:
            cookies = list(pool.map(lambda _: timed_get(url), range(CONCURRENT)))
        between = web_cpu(pid)
        together = threading.Barrier(CONCURRENT)
        with ThreadPoolExecutor(CONCURRENT) as pool:
            sent = list(pool.map(lambda _: submit(url, made["token"], made["form"], together),
                                 range(CONCURRENT)))  # fmt: skip
        after = web_cpu(pid)
        with ThreadPoolExecutor(CONCURRENT) as pool:
            mixed = list(pool.map(lambda _: submit(url, made["token"], made["form"]),
                                  range(CONCURRENT)))  # fmt: skip
    kept = run_python(env, "--count") - made["responses"] - RUNS - CONCURRENT
    times = [ms for _, ms in sent]
    answers_p95, cookies_p95 = p95(times), p95(cookies)
    redirected = sum(status in (200, 302) for status, _ in sent)
    cookie_cpu = (between - before) * 1000 / CONCURRENT
    answer_cpu = (after - between) * 1000 / CONCURRENT
    cores = min(WORKERS, os.cpu_count() or 1)
    print(f"\nSurveys on {label}: {made['responses']:,} responses, {made['answers']:,} answers "
          f"(load average {load:.1f} on {os.cpu_count()} cores)")  # fmt: skip
    print(f"{'page':<52}{'ms':>9}{'x base':>8}{'target':>8}")
    print(f"{'baseline: cookies page (median)':<52}{baseline:>9.1f}{1:>8.2f}")
    ok_page = page < TARGET_MS and fresh < TARGET_MS
    for words, ms in [
        ("results by agency, partnership manager (median)", page),
        ("  the same, just after a new answer each time", fresh),
    ]:
        print(f"{words:<52}{ms:>9.1f}{ms / baseline:>8.2f}{TARGET_MS:>8}  "
              f"{'met' if ms < TARGET_MS else 'MISSED'}")  # fmt: skip
    ok_post = answers_p95 < TARGET_MS and kept == CONCURRENT
    print(f"{f'baseline: {CONCURRENT} concurrent cookies pages (p95)':<52}{cookies_p95:>9.1f}"
          f"{cookies_p95 / baseline:>8.2f}")  # fmt: skip
    print(f"{f'{CONCURRENT} concurrent anonymous answers (p95)':<52}{answers_p95:>9.1f}"
          f"{answers_p95 / cookies_p95:>8.2f}{TARGET_MS:>8}  {'met' if ok_post else 'MISSED'}"
          f"  (x the concurrent baseline)")  # fmt: skip
    print(f"  median {statistics.median(times):.1f} ms; answered {redirected} of {CONCURRENT}; "
          f"kept {kept} of {CONCURRENT}", flush=True)  # fmt: skip
    print(f"  (50 opening the page and answering at overlapping times, not counted: p95 "
          f"{p95([ms for _, ms in mixed]):.1f} ms)", flush=True)  # fmt: skip
    print(f"  web server CPU: {cookie_cpu:.1f} ms a cookies page, {answer_cpu:.1f} ms a "
          f"practitioner (answer page, answers, thank-you page); floor of the burst "
          f"{CONCURRENT} x {answer_cpu:.1f} / {cores} cores = "
          f"{CONCURRENT * answer_cpu / cores:.0f} ms", flush=True)  # fmt: skip
    return ok_page and ok_post


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--populate", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--count", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.populate:
        print(json.dumps(populate(os.environ["BENCH_PASSWORD"])))
        return 0
    if args.count:
        print(json.dumps(count_responses()))
        return 0
    ok = True
    with temp_var() as tmp, each_database(Path(tmp)) as databases:
        for label, env in databases:
            Path(env["ASSURE_VAR_DIR"]).mkdir(parents=True, exist_ok=True)
            assure(env, "migrate", "-v", "0")
            assure(env, "shell", "-c", "from assure.accounts.models import Partnership; "
                   "Partnership.objects.get_or_create(name='Benchmark')")  # fmt: skip
            ok = measure(label, env) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
