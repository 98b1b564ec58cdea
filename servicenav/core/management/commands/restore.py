"""Restore a backup made by `manage.py backup` into an empty installation.

`manage.py restore <dir>` first checks the backup: the manifest is there, every file it
lists has its SHA-256, and the database is of the configured kind. Then it checks the
installation is empty (a database without tables, an empty MEDIA_ROOT), so that a restore
never mixes with or overwrites live data. Then it restores the database (`pg_restore` in
one transaction, or SQLite's backup API) and the uploaded files, and compares the rows of
every table with the manifest.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from servicenav.core.management.commands.backup import (
    FORMAT,
    MANIFEST,
    MEDIA,
    count_rows,
    database_vendor,
    postgres_arguments,
    run_tool,
    sha256_of,
)


def _read_manifest(directory: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((directory / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise CommandError(f"{directory} holds no readable {MANIFEST}: {error}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise CommandError(f"{directory / MANIFEST} is not a manifest this version can read.")
    return manifest


def _check_files(directory: Path, files: dict[str, str]) -> None:
    """Every file the manifest lists, with its checksum; nothing restored otherwise."""
    bad = []
    for name, checksum in sorted(files.items()):
        path = directory / name
        if not path.is_file():
            bad.append(f"{name} (missing)")
        elif sha256_of(path) != checksum:
            bad.append(f"{name} (checksum differs)")
    if bad:
        shown = ", ".join(bad[:10]) + (f" and {len(bad) - 10} more" if len(bad) > 10 else "")
        raise CommandError(f"The backup is damaged; nothing was restored: {shown}.")


def _check_empty_installation(media_root: Path) -> None:
    tables = connection.introspection.table_names()
    if tables:
        raise CommandError(
            f"The database already has {len(tables)} tables: restore only into an empty "
            "installation (a new, empty database)."
        )
    if media_root.exists() and any(media_root.iterdir()):
        raise CommandError(f"MEDIA_ROOT ({media_root}) is not empty: restore into an empty one.")


def _restore_postgresql(dump: Path) -> None:
    arguments, environment = postgres_arguments()
    command = ["pg_restore", "--no-owner", "--no-privileges", "--single-transaction"]
    run_tool([*command, "--exit-on-error", *arguments, str(dump)], environment)


def _restore_sqlite(copy: Path) -> None:
    connection.ensure_connection()
    source = sqlite3.connect(copy)
    try:
        source.backup(connection.connection)
    finally:
        source.close()


def _restore_media(source: Path, media_root: Path) -> int:
    if not source.is_dir():
        return 0
    shutil.copytree(source, media_root, dirs_exist_ok=True)
    return sum(1 for path in source.rglob("*") if path.is_file())


def _compare_rows(expected: dict[str, int]) -> None:
    with connection.cursor() as cursor:
        found = count_rows(cursor, list(expected))
    differ = [
        f"{table}: {found[table]} of {rows}"
        for table, rows in expected.items()
        if found[table] != rows
    ]
    if differ:
        raise CommandError("Restored, but rows differ from the manifest: " + "; ".join(differ))


class Command(BaseCommand):
    help = "Restore a backup made by `manage.py backup` into an empty installation."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", help="The backup's directory.")

    def handle(self, *args: Any, **options: Any) -> None:
        directory = Path(options["directory"])
        manifest = _read_manifest(directory)
        _check_files(directory, manifest["files"])
        vendor = database_vendor()
        if manifest["vendor"] != vendor:
            raise CommandError(
                f"The backup is of a {manifest['vendor']} database; "
                f"this installation uses {vendor}."
            )
        media_root = Path(settings.MEDIA_ROOT)
        _check_empty_installation(media_root)
        database_file = directory / manifest["database_file"]
        (_restore_postgresql if vendor == "postgresql" else _restore_sqlite)(database_file)
        files = _restore_media(directory / MEDIA, media_root)
        _compare_rows(manifest["tables"])
        self.stdout.write(
            f"Restored {len(manifest['tables'])} tables ({sum(manifest['tables'].values())} "
            f"rows, as in the manifest) and {files} uploaded files from {directory}."
        )
