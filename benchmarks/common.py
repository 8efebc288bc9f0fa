"""Shared pieces for benchmarks: a scratch database, a served Assure and a signed-in HTTP client."""

import compileall
import json
import os
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ASSURE = [sys.executable, "-m", "assure.cli"]


def scratch_env(var_dir: Path) -> dict[str, str]:
    """Environment for a throwaway Assure: its own SQLite file unless DATABASE_URL is given.

    Assure's modules are compiled first, as an installed Assure's are (the image's too): with
    PYTHONDONTWRITEBYTECODE set, every timed command would otherwise compile them again.
    """
    compileall.compile_dir(ROOT / "src" / "assure", quiet=1)
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(
        ASSURE_VAR_DIR=str(var_dir),
        SECRET_KEY=secrets.token_urlsafe(40),
        HTTPS="0",
        DEBUG="0",
        ALLOWED_HOSTS="127.0.0.1,localhost",
    )
    return env


def assure(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [*ASSURE, *args], env=env, cwd=ROOT, capture_output=True, text=True, check=False
    )
    if result.returncode:
        raise SystemExit(f"assure {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def served(env: dict[str, str]) -> Iterator[str]:
    """Run Assure's demo server (DEBUG off, WhiteNoise) on a free loopback port."""
    port = free_port()
    command = ["runserver", f"127.0.0.1:{port}", "--noreload", "--skip-checks"]
    with _running(command, env, port, tries=100, stop_seconds=10) as (url, _):
        yield url


@contextmanager
def _running(
    command: list[str], env: dict[str, str], port: int, *, tries: int, stop_seconds: int
) -> Iterator[tuple[str, int]]:
    """An `assure` server started with `command`, once its sign-in page answers: its address
    and process id."""
    server = subprocess.Popen(
        [*ASSURE, *command],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(tries):
            try:
                urllib.request.urlopen(f"{url}/sign-in/", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        yield url, server.pid
    finally:
        server.terminate()
        server.wait(timeout=stop_seconds)


class Client:
    """A signed-in browser stand-in: cookies, CSRF and timing."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def get(self, path: str) -> tuple[int, bytes]:
        with self.opener.open(self.base + path, timeout=60) as response:
            return response.status, response.read()

    def _post(self, path: str, page: bytes, fields: dict[str, str]) -> tuple[str, bytes]:
        """Submit the form on `page` (its CSRF token added) to `path`: (final URL, body)."""
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token, f"no CSRF token on {path}"
        data = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token.group(1).decode(), **fields}
        ).encode()
        request = urllib.request.Request(
            self.base + path, data=data, headers={"Referer": self.base + path}
        )
        with self.opener.open(request, timeout=60) as response:
            return response.url, response.read()

    def sign_in(self, username: str, password: str, code: str) -> None:
        """Sign in with the password, then the second factor's `code` (see `recovery_codes`):
        without it every page would answer with the "Enter your code" step."""
        _, page = self.get("/sign-in/")
        url, page = self._post("/sign-in/", page, {"username": username, "password": password})
        if "/sign-in/code/" in url:
            path = urllib.parse.urlsplit(url)
            url, page = self._post(f"{path.path}?{path.query}", page, {"code": code})
        if "/sign-in/" in url or b"Sign out" not in page:
            raise SystemExit(f"could not sign in as {username} (stopped at {url})")

    def median_ms(self, path: str, runs: int = 30, warm: int = 3) -> float:
        for _ in range(warm):
            self.get(path)
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            status, _ = self.get(path)
            times.append((time.perf_counter() - start) * 1000)
            assert status == 200, f"{path} answered {status}"
        return statistics.median(times)


RECOVERY_CODES = """
import json
from assure.accounts import mfa
from assure.accounts.models import User
codes = {}
for name in NAMES:
    person = User.objects.get(username=name)
    if not mfa.has_second_factor(person):
        mfa.enrol_demo_app(person)
    codes[name] = mfa.new_recovery_codes(person)
print(json.dumps(codes))
"""


def recovery_codes(env: dict[str, str], usernames: list[str]) -> dict[str, list[str]]:
    """Ten single-use recovery codes for each person (an app set up for those without one), so
    that benchmark clients can give a second factor without waiting for an app's next code."""
    script = f"NAMES = {sorted(set(usernames))!r}\n" + RECOVERY_CODES
    output = assure(env, "shell", "-c", script)
    return json.loads(output.strip().splitlines()[-1])


def temp_var() -> tempfile.TemporaryDirectory[str]:
    return tempfile.TemporaryDirectory(prefix="assure-bench-")


@contextmanager
def scratch_postgres() -> Iterator[str | None]:
    """A throwaway PostgreSQL database beside DATABASE_URL's (None when that is not PostgreSQL)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield None
        return
    import psycopg

    name = f"assure_bench_{secrets.token_hex(4)}"
    parts = urllib.parse.urlsplit(url)
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def each_database(var_dir: Path) -> Iterator[Iterator[tuple[str, dict[str, str]]]]:
    """(label, environment) for SQLite and, when DATABASE_URL is PostgreSQL, a scratch copy."""
    with scratch_postgres() as postgres:

        def environments() -> Iterator[tuple[str, dict[str, str]]]:
            sqlite = scratch_env(var_dir / "sqlite")
            sqlite.pop("DATABASE_URL", None)
            yield "SQLite", sqlite
            if postgres:
                env = scratch_env(var_dir / "postgres")
                env["DATABASE_URL"] = postgres
                yield "PostgreSQL", env

        yield environments()


@contextmanager
def production_served(env: dict[str, str], workers: int = 2) -> Iterator[tuple[str, int]]:
    """Run `assure serve` (gunicorn with `workers` processes, and the background worker): its
    address and process id (see `cpu_seconds`)."""
    port = free_port()
    env = {**env, "ASSURE_WEB_WORKERS": str(workers), "LOG_LEVEL": "WARNING"}
    command = ["serve", "--bind", f"127.0.0.1:{port}"]
    with _running(command, env, port, tries=150, stop_seconds=60) as served:
        yield served


def cpu_seconds(pid: int) -> dict[str, float]:
    """CPU seconds used so far by each living process under `pid` (Linux /proc), by pid and
    command, e.g. the web server's workers and the background worker."""
    used: dict[str, float] = {}
    ticks = os.sysconf("SC_CLK_TCK")
    waiting = [pid]
    while waiting:
        current = waiting.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            command = Path(f"/proc/{current}/cmdline").read_bytes().split(b"\0")
            for task in Path(f"/proc/{current}/task").iterdir():
                waiting += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue  # it ended meanwhile
        kind = "worker" if b"worker" in command else "web"
        used[f"{current} {kind}"] = (int(fields[11]) + int(fields[12])) / ticks
    return used
