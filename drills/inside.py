"""What the drills ask of an installation from the inside, run as
`python -m drills.inside <command> [file]` with that installation's environment
(DATABASE_URL, SERVICENAV_MEDIA_ROOT). Each command prints one JSON document.

The drill process itself never opens the database: it talks to the installation over
HTTP, as visitors do, and through this module, which reads through the ORM the same way
on PostgreSQL and SQLite."""

from __future__ import annotations

import hashlib
import json
import re
import sys
from collections import Counter
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any

import django

if TYPE_CHECKING:
    from collections.abc import Callable

REFERENCE = re.compile(r"^S-(\d{4})-(\d+)$")


def prepare() -> dict[str, Any]:
    """An integrator key and a service that takes a request without extra questions."""
    from servicenav.api.services import api_key_create
    from servicenav.cases.models import Category

    service = (
        Category.objects.filter(active=True, unit__active=True, needs_location=False)
        .exclude(attributes__required=True)
        .order_by("pk")
        .first()
    )
    if service is None:
        raise SystemExit("The installation has no active service without required questions.")
    _key, clear_key = api_key_create(name="drills", by=None)
    return {"api_key": clear_key, "service_code": str(service.pk), "unit": service.unit_id}


def last_case() -> dict[str, Any]:
    from django.db.models import Max

    from servicenav.cases.models import Case

    return {"id": Case.objects.aggregate(last=Max("pk"))["last"] or 0}


def cases(references: list[str], after_id: int) -> dict[str, Any]:
    """Whether every acknowledged reference is stored once, and whether the cases made
    after `after_id` are numbered uniquely and increasingly (per year) in the order made."""
    from servicenav.cases.models import Case

    stored = Counter(
        Case.objects.filter(reference__in=references).values_list("reference", flat=True)
    )
    made = list(
        Case.objects.filter(pk__gt=after_id).order_by("pk").values_list("reference", flat=True)
    )
    numbers: dict[str, list[int]] = {}
    for reference in made:
        found = REFERENCE.match(reference)
        if found:
            numbers.setdefault(found.group(1), []).append(int(found.group(2)))
    increasing = all(all(b > a for a, b in pairwise(run)) for run in numbers.values())
    gaps = sum(run[-1] - run[0] + 1 - len(run) for run in numbers.values() if run)
    return {
        "acknowledged": len(set(references)),
        "acknowledged_twice": len(references) - len(set(references)),
        "missing": len([reference for reference in set(references) if not stored[reference]]),
        "stored_twice": sum(1 for count in stored.values() if count > 1),
        "made": len(made),
        "unique": len(set(made)) == len(made),
        "increasing": increasing,
        "gaps": gaps,
    }


def submissions(acknowledged: list[list[str]]) -> dict[str, Any]:
    """Each acknowledged submission that gave an e-mail address (unique per submission),
    looked up by that address: stored once, and under the reference its client was shown?"""
    from servicenav.cases.models import Case

    shown = {email: reference for reference, email in acknowledged if email}
    stored: dict[str, list[str]] = {}
    for email, reference in Case.objects.filter(reporter_email__in=list(shown)).values_list(
        "reporter_email", "reference"
    ):
        stored.setdefault(email, []).append(reference)
    wrong = [
        [shown[email], stored[email][0]]
        for email in shown
        if len(stored.get(email, [])) == 1 and stored[email][0] != shown[email]
    ]
    return {
        "with_email": len(shown),
        "missing": sum(1 for email in shown if email not in stored),
        "stored_twice": sum(1 for references in stored.values() if len(references) > 1),
        "shown_another_reference": len(wrong),
        "examples": wrong[:3],
    }


def reply(references: list[str]) -> dict[str, Any]:
    """Staff answer each case, as a demo administrator would from the case page."""
    from servicenav.cases.models import Case
    from servicenav.cases.services import case_reply
    from servicenav.organisation.models import User

    staff = User.objects.get(username="admin")
    replied = 0
    for case in Case.objects.filter(reference__in=references):
        case_reply(case=case, text="Thank you, we have fixed it.", by=staff)
        replied += 1
    return {"replied": replied}


def outbox(recipients: list[str]) -> dict[str, Any]:
    from django.db.models import Max

    from servicenav.core.models import OutgoingEmail

    mine = OutgoingEmail.objects.filter(to__in=recipients)
    by_status = Counter(mine.values_list("status", flat=True))
    return {
        "total": mine.count(),
        "pending": by_status.get(OutgoingEmail.Status.PENDING, 0),
        "sent": by_status.get(OutgoingEmail.Status.SENT, 0),
        "failed": by_status.get(OutgoingEmail.Status.FAILED, 0),
        "tried_and_waiting": mine.filter(
            status=OutgoingEmail.Status.PENDING, attempts__gt=0
        ).count(),
        "most_attempts": mine.aggregate(most=Max("attempts"))["most"] or 0,
        "all_pending": OutgoingEmail.objects.filter(status=OutgoingEmail.Status.PENDING).count(),
    }


def fingerprint() -> dict[str, Any]:
    """Every table's row count and a SHA-256 of its rows in primary-key order, and the
    SHA-256 of every uploaded file: what a restore must give back unchanged."""
    from django.conf import settings
    from django.db import connection

    tables = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            tables[table] = _table_fingerprint(cursor, table)
    media = Path(settings.MEDIA_ROOT)
    files = (
        {
            path.relative_to(media).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(media.rglob("*"))
            if path.is_file()
        }
        if media.is_dir()
        else {}
    )
    return {"tables": tables, "files": files}


def _table_fingerprint(cursor: Any, table: str) -> list[Any]:
    from django.db import connection

    quote = connection.ops.quote_name
    keys = connection.introspection.get_primary_key_columns(cursor, table) or []
    columns = [
        column.name for column in connection.introspection.get_table_description(cursor, table)
    ]
    order = ", ".join(quote(name) for name in (keys or columns))
    cursor.execute(f"SELECT * FROM {quote(table)} ORDER BY {order}")  # noqa: S608 - our own names
    digest = hashlib.sha256()
    rows = 0
    for row in cursor.fetchall():
        digest.update(repr(row).encode())
        rows += 1
    return [rows, digest.hexdigest()]


COMMANDS = {"prepare": prepare, "last-case": last_case, "fingerprint": fingerprint}
WITH_LIST: dict[str, Callable[[Any], dict[str, Any]]] = {
    "reply": reply,
    "outbox": outbox,
    "submissions": submissions,
}


def main(arguments: list[str]) -> None:
    django.setup()
    name = arguments[0]
    if name in COMMANDS:
        result = COMMANDS[name]()
    elif name in WITH_LIST:
        result = WITH_LIST[name](json.loads(Path(arguments[1]).read_text()))
    elif name == "cases":
        result = cases(json.loads(Path(arguments[1]).read_text()), int(arguments[2]))
    else:
        raise SystemExit(f"Unknown command {name!r}.")
    print(json.dumps(result))


if __name__ == "__main__":
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicenav.settings")
    main(sys.argv[1:])
