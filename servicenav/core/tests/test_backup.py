"""`manage.py backup` and `manage.py restore`: a backup holds the database, the uploaded
files and a manifest of their checksums; a restore into an empty installation gives back
every row and file, and refuses a damaged backup or an installation that is not empty.

The restore runs as its own process against a second, empty database (a file on SQLite,
a new database on the same server on PostgreSQL), as an administrator would run it."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from servicenav.testing import make_case

if TYPE_CHECKING:
    from collections.abc import Iterator

    from pytest_django.fixtures import Settings

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(settings.BASE_DIR)
PHOTO = b"\x89PNG\r\n\x1a\n not really a picture, but bytes to keep"


@pytest.fixture
def media(settings: Settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    photo = settings.MEDIA_ROOT / "attachments" / "2026" / "photo.png"
    photo.parent.mkdir(parents=True)
    photo.write_bytes(PHOTO)
    return settings.MEDIA_ROOT


@pytest.fixture
def empty_database(tmp_path: Path) -> Iterator[str]:
    """The URL of a database with no tables, beside the test database."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    import psycopg

    database = connection.settings_dict
    name = f"{database['NAME']}_restore"
    server = psycopg.connect(_postgres_url(database, "postgres"), autocommit=True)
    server.execute(f'DROP DATABASE IF EXISTS "{name}"')
    server.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _postgres_url(database, name)
    finally:
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.close()


def _postgres_url(database: dict, name: str) -> str:
    password = f":{database['PASSWORD']}" if database["PASSWORD"] else ""
    port = f":{database['PORT']}" if database["PORT"] else ""
    return f"postgres://{database['USER']}{password}@{database['HOST']}{port}/{name}"


def _restore(
    directory: Path, database_url: str, media_root: Path
) -> subprocess.CompletedProcess[str]:
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "servicenav.settings",
        "DATABASE_URL": database_url,
        "SERVICENAV_MEDIA_ROOT": str(media_root),
    }
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "restore", str(directory)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def _references(database_url: str) -> list[str]:
    query = "SELECT reference FROM cases_case ORDER BY reference"
    if database_url.startswith("sqlite"):
        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as restored:
            return [reference for (reference,) in restored.execute(query)]
    import psycopg

    with psycopg.connect(database_url) as restored:
        return [reference for (reference,) in restored.execute(query)]


def test_a_backup_holds_the_database_the_uploaded_files_and_their_checksums(
    media: Path, tmp_path: Path
) -> None:
    make_case()
    make_case()
    call_command("backup", str(tmp_path / "backup"))

    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["vendor"] == connection.vendor
    assert manifest["tables"]["cases_case"] == 2
    photo = "media/attachments/2026/photo.png"
    assert manifest["files"][photo] == hashlib.sha256(PHOTO).hexdigest()
    assert (tmp_path / "backup" / photo).read_bytes() == PHOTO
    assert manifest["database_file"] in manifest["files"]


def test_a_backup_is_restored_into_an_empty_installation_with_every_row_and_file(
    media: Path, tmp_path: Path, empty_database: str
) -> None:
    made = sorted(make_case().reference for _ in range(3))
    call_command("backup", str(tmp_path / "backup"))

    done = _restore(tmp_path / "backup", empty_database, tmp_path / "restored-media")

    assert done.returncode == 0, done.stderr
    assert "as in the manifest" in done.stdout
    assert _references(empty_database) == made
    assert (
        tmp_path / "restored-media" / "attachments" / "2026" / "photo.png"
    ).read_bytes() == PHOTO


def test_a_restore_refuses_an_installation_that_is_not_empty(media: Path, tmp_path: Path) -> None:
    case = make_case()
    call_command("backup", str(tmp_path / "backup"))

    with pytest.raises(CommandError, match="restore only into an empty installation"):
        call_command("restore", str(tmp_path / "backup"))
    assert case.__class__.objects.get().reference == case.reference


def test_a_damaged_backup_is_refused_before_anything_is_restored(
    media: Path, tmp_path: Path, empty_database: str
) -> None:
    make_case()
    call_command("backup", str(tmp_path / "backup"))
    (tmp_path / "backup" / "media" / "attachments" / "2026" / "photo.png").write_bytes(b"changed")

    done = _restore(tmp_path / "backup", empty_database, tmp_path / "restored-media")

    assert done.returncode != 0
    assert "The backup is damaged; nothing was restored" in done.stderr
    assert "photo.png (checksum differs)" in done.stderr
    assert not (tmp_path / "restored-media").exists()


def test_a_backup_never_writes_into_a_directory_that_holds_files(
    media: Path, tmp_path: Path
) -> None:
    (tmp_path / "backup").mkdir()
    (tmp_path / "backup" / "notes.txt").write_text("keep me")

    with pytest.raises(CommandError, match="is not empty"):
        call_command("backup", str(tmp_path / "backup"))
    assert (tmp_path / "backup" / "notes.txt").read_text() == "keep me"
