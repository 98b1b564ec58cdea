"""The start page and the unit pages, kept in the cache until a figure they show changes.

A page's content (everything below the site's header, which depends on the visitor) is
rendered once per language and kept under a key holding a *stamp* of the figures: one
query of a few scalar subqueries, each a count or a maximum of what the pages read —

- the audit log's newest entry: every change staff make (units, indicators, targets,
  declarations and their follow-up, surveys, a case published or moved) and every case
  event is audited, so any of them changes it;
- the stored feedback counts (`FeedbackMonth`), the KPI measurements and the follow-up of
  the promises: their number and newest computation, so a recompute — the nightly one or
  the one queued after a case changed — changes it, deletions too;
- the newest survey answer (a late paper answer changes a closed round's results);
- the Kolada figures: their number and newest fetch.

Besides the stamp the key holds the day (the pages count "the last ended periods" and
"closed rounds" from today), the settings the pages depend on (the public minimums, the
standard answer time, the Kolada municipality and group), the language, and a digest of
the package's code, templates and translations (so a new release never shows pages the
old one drew, from a cache shared by several servers either). The stamp itself is kept in
the cache for `SERVICENAV_PUBLIC_STAMP_SECONDS` (5): a page shows a change within those
seconds, and the first request after it reads the figures again (with a fixed number of
queries, see `public.overview`); the rest read the cache without touching the database.
Old entries are not deleted; they expire. With several app servers, point
`SERVICENAV_CACHE_URL` at a shared cache."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Field
from django.utils import timezone
from django.utils.translation import get_language

from servicenav.core.models import AuditEntry
from servicenav.declarations.models import FollowUp
from servicenav.kpis.models import KoladaValue, Measurement
from servicenav.public.models import FeedbackMonth
from servicenav.surveys.models import Response

if TYPE_CHECKING:
    from collections.abc import Callable

    from django.db.models import Model
    from django.utils.safestring import SafeString

CACHE_SECONDS = 24 * 3600
CACHE_VERSION = 1
STAMP_KEY = f"public:figures-stamp:{CACHE_VERSION}"
RELEASE_SUFFIXES = frozenset({".py", ".html", ".txt", ".mo"})


def _table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _column(model: type[Model], name: str) -> str:
    field = model._meta.get_field(name)
    if not isinstance(field, Field):
        msg = f"{model.__name__}.{name} is not a column"
        raise TypeError(msg)
    return connection.ops.quote_name(field.column)


# The parts of the stamp: quoted names only, no input. A small table is read once for its
# number of rows and its newest change (NULL when it is empty); a large one by its primary
# key's index.
NEWEST_ID_SQL = "SELECT MAX({id}) FROM {table}"
ROWS_AND_NEWEST_SQL = "SELECT COUNT(*) || '/' || MAX({column}) FROM {table}"


def _parts() -> list[str]:
    """The scalar subqueries of the stamp."""
    parts = [
        NEWEST_ID_SQL.format(id=_column(model, "id"), table=_table(model))
        for model in (AuditEntry, Response)
    ]
    for model, field in (
        (FeedbackMonth, "computed_at"),
        (Measurement, "computed_at"),
        (FollowUp, "updated_at"),
        (KoladaValue, "fetched_at"),
    ):
        parts.append(ROWS_AND_NEWEST_SQL.format(column=_column(model, field), table=_table(model)))
    return parts


def figures_stamp() -> str:
    """Changes whenever a figure the start page or a unit page shows can have changed. Read
    with one query at most every `SERVICENAV_PUBLIC_STAMP_SECONDS`, and kept in the cache
    (shared by the app servers) in between: under load, a cached page then costs no query
    at all, and a change shows within those seconds."""
    seconds = settings.SERVICENAV_PUBLIC_STAMP_SECONDS
    if not seconds:
        return read_figures_stamp()
    stamp: str | None = cache.get(STAMP_KEY)
    if stamp is None:
        stamp = read_figures_stamp()
        cache.set(STAMP_KEY, stamp, seconds)
    return stamp


def read_figures_stamp() -> str:
    """The stamp as the database has it now; one query."""
    query = "SELECT " + ", ".join(f"({part})" for part in _parts())
    with connection.cursor() as cursor:
        cursor.execute(query)
        row = cursor.fetchone()
    return "|".join("" if value is None else str(value) for value in row)


@functools.cache
def release() -> str:
    """A digest of the code, templates and translations of the whole package; read once per
    process. Any change that could draw a page differently gives new keys."""
    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.suffix in RELEASE_SUFFIXES and "tests" not in path.relative_to(package).parts:
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def page_key(name: str, *parts: object) -> str:
    """The cache key of page `name` (with `parts`, e.g. the unit) as the figures stand now,
    in the current language."""
    configured = (
        settings.SERVICENAV_PUBLIC_MIN_CASES,
        settings.SERVICENAV_SURVEY_MIN_ANSWERS,
        settings.SERVICENAV_ANSWER_DAYS,
        settings.SERVICENAV_KOLADA_MUNICIPALITY,
        settings.SERVICENAV_KOLADA_GROUP,
    )
    raw = "|".join(
        str(part)
        for part in (
            figures_stamp(),
            timezone.localdate(),
            *configured,
            get_language(),
            release(),
            *parts,
        )
    )
    digest = hashlib.sha256(raw.encode()).hexdigest()[:32]
    return f"public:page:{CACHE_VERSION}:{name}:{digest}"


def cached_page(
    name: str, parts: tuple[object, ...], render: Callable[[], SafeString]
) -> SafeString:
    """The content of page `name` from the cache, rendered by `render` when the figures
    changed since it was kept (or it never was). The rendered HTML is kept as it is, still
    marked safe."""
    key = page_key(name, *parts)
    content: SafeString | None = cache.get(key)
    if content is None:
        content = render()
        cache.set(key, content, CACHE_SECONDS)
    return content
