"""Installations the drills run against: a database and a media directory each, made
empty for the drill and removed after it.

PostgreSQL runs in a throw-away cluster of the drills' own (`initdb` + `pg_ctl` on a free
port in a temporary directory), never on a shared server: the crash drill kills its
database server, which must hurt no one else. As root the cluster runs as the `postgres`
user, because PostgreSQL refuses to run as root."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SETTINGS = "drills.settings"


def run(command: list[str], environment: dict[str, str], *, cwd: Path = ROOT) -> str:
    """A command that must succeed; its output, or the drill stops with its error."""
    done = subprocess.run(  # noqa: S603
        command, cwd=cwd, env=environment, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command[:4])} failed:\n{done.stderr.strip()[-3000:]}")
    return done.stdout


@dataclass
class Installation:
    """One database and one media directory; `manage` and `inside` run against them."""

    name: str
    database_url: str
    media_root: Path
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def vendor(self) -> str:
        return "postgresql" if self.database_url.startswith("postgres") else "sqlite"

    def environment(self, **more: str) -> dict[str, str]:
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": SETTINGS,
            "DATABASE_URL": self.database_url,
            "SERVICENAV_MEDIA_ROOT": str(self.media_root),
            "SERVICENAV_LOG_LEVEL": "WARNING",
            **self.extra,
            **more,
        }

    def manage(self, *arguments: str, cwd: Path = ROOT, settings: str = SETTINGS) -> str:
        environment = self.environment(DJANGO_SETTINGS_MODULE=settings)
        return run([PYTHON, "manage.py", *arguments], environment, cwd=cwd)

    def inside(self, *arguments: str, data: Any = None) -> Any:
        """A `drills.inside` command; `data` goes to it as a JSON file."""
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
            json.dump(data, handle)
        try:
            extra = [handle.name] if data is not None else []
            command = [PYTHON, "-m", "drills.inside", arguments[0], *extra, *arguments[1:]]
            return json.loads(run(command, self.environment()))
        finally:
            os.unlink(handle.name)


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def kill_with_children(pid: int) -> list[int]:
    """SIGKILL to a process and its children, by their ids: a crash, nothing cleaned up."""
    listed = subprocess.run(  # noqa: S603
        ["ps", "-o", "pid=", "--ppid", str(pid)],  # noqa: S607 - procps, found on PATH
        capture_output=True,
        text=True,
        check=False,
    ).stdout.split()
    pids = [pid, *map(int, listed)]
    for each in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(each, signal.SIGKILL)
    return pids


def postgres_bin() -> Path | None:
    """Where initdb and pg_ctl are (Debian keeps them out of PATH), or None."""
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), reverse=True)
    return versions[0].parent if versions else None


class PostgresCluster:
    """A PostgreSQL server of the drills' own, on a free port, for this run only."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin_dir = bin_dir
        self.directory = Path(tempfile.mkdtemp(prefix="servicenav-drills-pg-"))
        self.data = self.directory / "data"
        self.port = free_port()
        self.as_postgres = os.geteuid() == 0
        if self.as_postgres:
            shutil.chown(self.directory, user="postgres")
        self._as_owner(
            [str(bin_dir / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres"]
        )
        self.start()

    def _as_owner(self, command: list[str]) -> str:
        prefix = ["runuser", "-u", "postgres", "--"] if self.as_postgres else []
        return run([*prefix, *command], dict(os.environ), cwd=self.directory)

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=on"
        pg_ctl = str(self.bin_dir / "pg_ctl")
        self._as_owner(
            [
                pg_ctl,
                "-D",
                str(self.data),
                "-o",
                options,
                "-l",
                str(self.directory / "log"),
                "-w",
                "start",
            ]
        )

    def kill(self) -> int:
        """SIGKILL to the server and every one of its processes, as in a power cut: no
        shutdown checkpoint, so the next start recovers from the write-ahead log."""
        postmaster = int((self.data / "postmaster.pid").read_text().split()[0])
        pids = kill_with_children(postmaster)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(Path(f"/proc/{pid}").exists() for pid in pids):
            time.sleep(0.05)
        return len(pids)

    def create(self, database: str) -> str:
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{database}"')
        return self.url(database)

    def remove(self) -> None:
        pg_ctl = str(self.bin_dir / "pg_ctl")
        subprocess.run(  # noqa: S603
            [
                *(["runuser", "-u", "postgres", "--"] if self.as_postgres else []),
                pg_ctl,
                "-D",
                str(self.data),
                "-m",
                "immediate",
                "stop",
            ],
            capture_output=True,
            check=False,
        )
        shutil.rmtree(self.directory, ignore_errors=True)


class Databases:
    """Empty databases for installations: files in a temporary directory for SQLite, new
    databases in the drills' own cluster for PostgreSQL."""

    def __init__(self, vendor: str, cluster: PostgresCluster | None = None) -> None:
        self.vendor = vendor
        self.cluster = cluster
        self.directory = Path(tempfile.mkdtemp(prefix=f"servicenav-drills-{vendor}-"))

    def new(self, name: str) -> Installation:
        media = self.directory / f"{name}-media"
        media.mkdir()
        if self.cluster is not None:
            url = self.cluster.create(name)
        else:
            url = f"sqlite:///{self.directory / f'{name}.sqlite3'}"
        return Installation(name=name, database_url=url, media_root=media)

    def remove(self) -> None:
        shutil.rmtree(self.directory, ignore_errors=True)
