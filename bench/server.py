"""The running application for `bench.load`: gunicorn with two workers on 127.0.0.1, a
small HTTP client that keeps cookies (to fetch a CSRF token or log in once), and wrk.

wrk runs `bench/wrk.lua`: BENCH_WARMUP seconds (default 2) whose figures are thrown
away, then BENCH_SECONDS (default 10) measured, with 4 connections on 2 threads and a
timeout per request of BENCH_TIMEOUT seconds (default 10). wrk leaves requests that timed
out out of its percentiles; here they count as taking the timeout, so a page slower than
it cannot look fast."""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bench.harness import ROOT, env_int

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping
    from pathlib import Path

WORKERS = 2
CONNECTIONS = 4
THREADS = 2
WARMUP = env_int("BENCH_WARMUP", 2)
SECONDS = env_int("BENCH_SECONDS", 10)
TIMEOUT = env_int("BENCH_TIMEOUT", 10)
SCRIPT = ROOT / "bench" / "wrk.lua"
LOGS = ROOT / "var" / "bench-load"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def gunicorn(environment: Mapping[str, str]) -> Iterator[str]:
    """The application under gunicorn (sync workers), its base URL while the block runs."""
    port = free_port()
    LOGS.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "servicenav.wsgi:application",
        f"--workers={WORKERS}",
        f"--bind=127.0.0.1:{port}",
        "--log-level=warning",
        f"--error-logfile={LOGS / 'gunicorn.log'}",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **environment})  # noqa: S603
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, process)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_up(base: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn stopped at once; see {LOGS / 'gunicorn.log'}")
        try:
            with urllib.request.urlopen(f"{base}/bench/constant/", timeout=2):  # noqa: S310
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer within a minute; see {LOGS / 'gunicorn.log'}")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


class Browser:
    """Cookies kept between requests; redirects returned, not followed."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect()
        )

    def request(self, path: str, data: Mapping[str, str] | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, body, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:  # 3xx and 4xx/5xx answers alike
            return error.code, error.read().decode(errors="replace")

    def cookie(self, name: str) -> str:
        for cookie in self.cookies:
            if cookie.name == name and cookie.value:
                return cookie.value
        raise SystemExit(f"The server set no {name} cookie.")

    def cookie_header(self) -> str:
        return "; ".join(f"{cookie.name}={cookie.value}" for cookie in self.cookies)

    def csrf_token(self, path: str) -> str:
        """The form's CSRF token, fetched with the page (which sets the cookie)."""
        status, page = self.request(path)
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or found is None:
            raise SystemExit(f"{path} answered {status} without a CSRF token.")
        return found.group(1)

    def log_in(self, username: str, password: str) -> str:
        """Log in through the login form; the session cookie."""
        from django.urls import reverse

        path = reverse("login")
        token = self.csrf_token(path)
        data = {"username": username, "password": password, "csrfmiddlewaretoken": token}
        status, _page = self.request(path, data)
        if status != 302:
            raise SystemExit(f"Logging in as {username} answered {status}, not a redirect.")
        return self.cookie("sessionid")


@dataclass(frozen=True)
class Load:
    """What a workload sends: one path or a file of them, the body of a POST, cookies."""

    path: str = "/"
    paths: Path | None = None
    method: str = "GET"
    body: str | None = None
    cookie: str = ""
    expect: int = 200


@dataclass(frozen=True)
class Measured:
    requests: int
    seconds: float
    errors: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def _wrk_environment(load: Load) -> dict[str, str]:
    environment = {"BENCH_METHOD": load.method, "BENCH_EXPECT": str(load.expect)}
    environment |= {"BENCH_PATHS": str(load.paths)} if load.paths else {"BENCH_PATH": load.path}
    if load.body is not None:
        environment["BENCH_BODY"] = load.body
    if load.cookie:
        environment["BENCH_COOKIE"] = load.cookie
    return environment


def wrk_binary() -> str:
    found = shutil.which("wrk")
    if found is None:
        raise SystemExit("wrk is missing: install Debian's package wrk (apt-get install wrk).")
    return found


def run_wrk(base: str, load: Load, seconds: int, log_name: str) -> Measured:
    """One wrk run; its whole output is kept in var/bench-load/<log_name>.txt."""
    command = [
        wrk_binary(),
        f"--threads={THREADS}",
        f"--connections={CONNECTIONS}",
        f"--duration={seconds}s",
        f"--timeout={TIMEOUT}s",
        "--latency",
        f"--script={SCRIPT}",
        base,
    ]
    done = subprocess.run(  # noqa: S603
        command,
        env={**os.environ, **_wrk_environment(load)},
        capture_output=True,
        text=True,
        check=False,
    )
    LOGS.mkdir(parents=True, exist_ok=True)
    (LOGS / f"{log_name}.txt").write_text(done.stdout + done.stderr)
    found = re.search(r"^BENCH_JSON (.+)$", done.stdout, re.MULTILINE)
    if done.returncode != 0 or found is None:
        raise SystemExit(f"wrk failed ({done.returncode}): {done.stderr.strip()[:500]}")
    return _measured(json.loads(found.group(1)))


def _measured(figures: dict[str, int]) -> Measured:
    socket_errors = sum(figures[name] for name in ("connect", "read", "write", "timeout"))
    timed_out = figures["timeout"] / max(1, figures["requests"] + figures["timeout"])

    def percentile(share: float, key: str) -> float:
        """wrk's percentile, or the timeout when at least the rest timed out (or wrk
        recorded no latency beside timeouts)."""
        beyond = timed_out >= 1 - share or (figures["timeout"] > 0 and figures[key] == 0)
        return TIMEOUT * 1000.0 if beyond else figures[key] / 1000

    return Measured(
        requests=figures["requests"],
        seconds=figures["duration_us"] / 1e6,
        errors=figures["unexpected"] + socket_errors,
        p50_ms=percentile(0.50, "p50"),
        p95_ms=percentile(0.95, "p95"),
        p99_ms=percentile(0.99, "p99"),
        max_ms=TIMEOUT * 1000.0 if figures["timeout"] else figures["max"] / 1000,
    )


def measure_load(base: str, load: Load, log_name: str) -> Measured:
    """Warm-up (thrown away), then the measured run."""
    run_wrk(base, load, WARMUP, f"{log_name}-warmup")
    return run_wrk(base, load, SECONDS, log_name)


def probe(base: str, load: Load) -> None:
    """One request as wrk will send it, so that a wrong form fails with its reason rather
    than as ten seconds of errors."""
    path = load.paths.read_text().split()[0] if load.paths else load.path
    body = load.body.replace("{uuid}", str(uuid.uuid4())).encode() if load.body else None
    headers = {"Cookie": load.cookie} if load.cookie else {}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    request = urllib.request.Request(base + path, body, headers, method=load.method)  # noqa: S310
    opener = urllib.request.build_opener(_NoRedirect())
    try:
        with opener.open(request, timeout=30) as response:
            status, text = response.status, response.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        status, text = error.code, error.read().decode(errors="replace")
    if status != load.expect:
        raise SystemExit(
            f"{load.method} {path} answered {status}, not {load.expect}:\n{text[:800]}"
        )
