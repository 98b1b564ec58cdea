"""Back up the database and the uploaded files into one directory, with a manifest.

`manage.py backup <dir>` writes:

- `database.dump` (PostgreSQL: `pg_dump -Fc` of the configured database) or
  `database.sqlite3` (SQLite: a copy through SQLite's online backup API);
- `media/`: every file under MEDIA_ROOT, copied after the database, so that every
  attachment the database names is in the backup;
- `manifest.json`: the database vendor, the rows of every table at the moment of the dump
  and the SHA-256 of every file in the backup.

On PostgreSQL the rows are counted in the same snapshot that `pg_dump` dumps
(`pg_export_snapshot`), so the counts match the dump exactly while the site keeps running.
`manage.py restore <dir>` checks the manifest before it touches anything.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import timezone

MANIFEST = "manifest.json"
MEDIA = "media"
FORMAT = 1
DATABASE_FILES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def database_vendor() -> str:
    if connection.vendor not in DATABASE_FILES:
        raise CommandError(f"Backups support PostgreSQL and SQLite, not {connection.vendor}.")
    return connection.vendor


def count_rows(cursor: Any, tables: list[str]) -> dict[str, int]:
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
        counts[table] = int(cursor.fetchone()[0])
    return counts


def postgres_arguments() -> tuple[list[str], dict[str, str]]:
    """Connection options for pg_dump and pg_restore, and their environment (the password
    goes there, never on the command line)."""
    database: dict[str, Any] = dict(settings.DATABASES["default"])
    arguments = [f"--dbname={database['NAME']}"]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if database.get(key):
            arguments.append(f"{option}={database[key]}")
    environment = dict(os.environ)
    if database.get("PASSWORD"):
        environment["PGPASSWORD"] = str(database["PASSWORD"])
    return arguments, environment


def run_tool(command: list[str], environment: dict[str, str]) -> None:
    """pg_dump or pg_restore; a clear message when it is missing or fails."""
    if shutil.which(command[0]) is None:
        raise CommandError(f"{command[0]} is missing: install PostgreSQL's client programs.")
    done = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise CommandError(f"{command[0]} failed: {done.stderr.strip()[-2000:]}")


def _dump_postgresql(target: Path) -> dict[str, int]:
    """pg_dump of the snapshot in which the rows are counted."""
    arguments, environment = postgres_arguments()
    if connection.in_atomic_block:
        raise CommandError("Run backup on its own, not inside a database transaction.")
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        try:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = count_rows(cursor, connection.introspection.table_names(cursor))
            command = ["pg_dump", "--format=custom", "--no-owner", "--no-privileges"]
            command += [f"--snapshot={snapshot}", f"--file={target}", *arguments]
            run_tool(command, environment)
        finally:
            cursor.execute("COMMIT")
    return counts


def _dump_sqlite(target: Path) -> dict[str, int]:
    """A consistent copy through SQLite's backup API, counted in the copy itself."""
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
        names = copy.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).fetchall()
        return count_rows(copy.cursor(), [name for (name,) in names])
    finally:
        copy.close()


def _copy_media(source: Path, target: Path) -> list[Path]:
    copied: list[Path] = []
    if not source.is_dir():
        return copied
    for path in sorted(source.rglob("*")):
        if path.is_file():
            destination = target / path.relative_to(source)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, destination)
            copied.append(destination)
    return copied


def _empty_directory(directory: Path) -> Path:
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise CommandError(f"{directory} exists and is not empty: back up into a new directory.")
    directory.mkdir(parents=True, exist_ok=True)
    return directory


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into a new directory, with a manifest."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", help="A new or empty directory for the backup.")

    def handle(self, *args: Any, **options: Any) -> None:
        vendor = database_vendor()
        directory = _empty_directory(Path(options["directory"]))
        database_file = directory / DATABASE_FILES[vendor]
        dump = _dump_postgresql if vendor == "postgresql" else _dump_sqlite
        tables = dump(database_file)
        media = _copy_media(Path(settings.MEDIA_ROOT), directory / MEDIA)
        files = {
            path.relative_to(directory).as_posix(): sha256_of(path)
            for path in [database_file, *media]
        }
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "vendor": vendor,
            "database_file": database_file.name,
            "tables": tables,
            "files": files,
        }
        (directory / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
        self.stdout.write(
            f"Backed up {len(tables)} tables ({sum(tables.values())} rows) and "
            f"{len(media)} uploaded files to {directory}."
        )
