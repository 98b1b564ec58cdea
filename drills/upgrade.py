"""Upgrade: the previous release's code (a `git worktree` of it, run with this checkout's
virtual environment, whose dependencies it shares) migrates a new database and loads its
demo data; then this checkout's `migrate` runs forward on it.

Held when no table of the previous release lost a row or went missing. Tables whose
columns the migrations did not touch must also keep the same row checksum.

The previous release is DRILL_PREVIOUS_RELEASE if set; otherwise the last commit when
this checkout has migrations not yet committed, else the commit before the newest one that
changed a migration."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from drills.installation import ROOT, Databases, PostgresCluster, postgres_bin
from drills.report import Row

MIGRATIONS = "servicenav/*/migrations/*.py"


def _git(*arguments: str) -> str:
    command = ["git", *arguments]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise SystemExit(f"git {' '.join(arguments)} failed: {done.stderr.strip()}")
    return done.stdout.strip()


def previous_release() -> str:
    chosen = os.environ.get("DRILL_PREVIOUS_RELEASE", "").strip()
    if chosen:
        return _git("rev-parse", "--short", chosen)
    if _git("status", "--porcelain", "--", MIGRATIONS):
        return _git("rev-parse", "--short", "HEAD")
    newest = _git("log", "-1", "--format=%H", "--", MIGRATIONS)
    return _git("rev-parse", "--short", f"{newest}~1")


def _lost(before: dict, after: dict) -> tuple[list[str], int, int]:
    """Tables that lost rows or vanished; tables kept with the same checksum; rows before."""
    lost, same = [], 0
    for table, (rows, checksum) in before["tables"].items():
        now = after["tables"].get(table)
        if now is None or now[0] < rows:
            lost.append(f"{table} ({rows} → {now[0] if now else 'gone'})")
        elif now[1] == checksum:
            same += 1
    return lost, same, sum(rows for rows, _checksum in before["tables"].values())


def run(vendor: str) -> Row:
    release = previous_release()
    cluster = PostgresCluster(postgres_bin()) if vendor == "postgresql" else None  # type: ignore[arg-type]
    databases = Databases(vendor, cluster)
    worktree = Path(tempfile.mkdtemp(prefix="servicenav-previous-")) / "release"
    _git("worktree", "add", "--detach", str(worktree), release)
    try:
        installation = databases.new("drill_upgrade")
        old = {"cwd": worktree, "settings": "servicenav.settings"}
        installation.manage("migrate", "--noinput", **old)  # type: ignore[arg-type]
        installation.manage("load_demo", **old)  # type: ignore[arg-type]
        before = installation.inside("fingerprint")
        output = installation.manage("migrate", "--noinput")
        after = installation.inside("fingerprint")
    finally:
        _git("worktree", "remove", "--force", str(worktree))
        shutil.rmtree(worktree.parent, ignore_errors=True)
        databases.remove()
        if cluster is not None:
            cluster.remove()
    applied = output.count("Applying ")
    lost, same, rows = _lost(before, after)
    label = "PostgreSQL" if vendor == "postgresql" else "SQLite"
    done = (
        f"release {release} (git worktree, this venv): migrate + load_demo, "
        f"{len(before['tables'])} tables, {rows:,} rows; then this checkout's migrate: "
        f"{applied} migrations applied"
    )
    held = (
        f"tables that lost rows or vanished: {len(lost)}"
        + (f" ({', '.join(lost[:5])})" if lost else "")
        + f"; {same} of {len(before['tables'])} tables have the same row checksum as before"
    )
    return Row("upgrade", label, done, held, not lost)
