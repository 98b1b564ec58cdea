"""Backup and restore: the shared installation, after the other drills filled it (demo
data, thousands of cases, the outbox, task records) and a few cases with photos were
sent, is backed up with `manage.py backup`, then restored with `manage.py restore` into a
new, empty installation (an empty database and an empty media directory).

Held when every table has the same rows (count and a checksum of its rows in primary-key
order, computed by `drills.inside`, not by the commands) and every uploaded file the same
SHA-256."""

from __future__ import annotations

import io
import tempfile
import time
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

import requests
from PIL import Image

from drills.clients import FORM, TOKEN
from drills.installation import free_port
from drills.processes import App
from drills.report import Row

if TYPE_CHECKING:
    from drills.stage import Stage

PHOTOS = 5


def _photo(number: int) -> bytes:
    stream = io.BytesIO()
    Image.new("RGB", (64, 48), (40 * number % 256, 120, 200)).save(stream, "PNG")
    return stream.getvalue()


def send_photos(base: str) -> int:
    """Cases with a photo each, through the web form: uploaded files to back up."""
    session = requests.Session()
    sent = 0
    for number in range(PHOTOS):
        token = TOKEN.search(session.get(base + FORM, timeout=30).text)
        if token is None:
            raise SystemExit("The feedback form has no CSRF token.")
        data = {
            "kind": "suggestion",
            "unit": "",
            "text": f"A photo of the park bench ({number}).",
            "contact": "anonymous",
            "website": "",
            "submission_token": str(uuid.uuid4()),
            "csrfmiddlewaretoken": token.group(1),
        }
        files = {"attachments": (f"bench-{number}.png", _photo(number), "image/png")}
        response = session.post(
            base + FORM, data=data, files=files, allow_redirects=False, timeout=30
        )
        sent += response.status_code == 302
    return sent


def _compare(before: dict, after: dict) -> tuple[int, int, int, list[str]]:
    """Rows compared, files compared, tables compared, and what differs."""
    differ = [
        f"table {name}"
        for name in sorted(set(before["tables"]) | set(after["tables"]))
        if before["tables"].get(name) != after["tables"].get(name)
    ]
    differ += [
        f"file {name}"
        for name in sorted(set(before["files"]) | set(after["files"]))
        if before["files"].get(name) != after["files"].get(name)
    ]
    rows = sum(count for count, _checksum in before["tables"].values())
    return rows, len(before["files"]), len(before["tables"]), differ


def run(stage: Stage) -> Row:
    source = stage.main
    app = App(source, mail_port=free_port())
    app.start()
    try:
        photos = send_photos(app.base)
    finally:
        app.stop()
    target = stage.databases.new("drill_restored")
    with tempfile.TemporaryDirectory(prefix="servicenav-backup-") as scratch:
        directory = Path(scratch) / "backup"
        started = time.monotonic()
        source.manage("backup", str(directory))
        backed_up = time.monotonic() - started
        size = sum(path.stat().st_size for path in directory.rglob("*") if path.is_file())
        started = time.monotonic()
        target.manage("restore", str(directory))
        restored = time.monotonic() - started
    rows, files, tables, differ = _compare(
        source.inside("fingerprint"), target.inside("fingerprint")
    )
    done = (
        f"sent {photos} cases with a photo; `manage.py backup` ({backed_up:.1f} s, "
        f"{size / 2**20:.1f} MB) then `manage.py restore` into an empty installation "
        f"({restored:.1f} s)"
    )
    held = (
        f"{tables} tables, {rows:,} rows and {files} uploaded files compared by checksum: "
        f"{len(differ)} differ" + (f" ({', '.join(differ[:5])})" if differ else "")
    )
    return Row("backup and restore", stage.label, done, held, not differ and files >= photos)
