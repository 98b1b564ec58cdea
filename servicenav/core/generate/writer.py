"""Writing many generated rows at once: PostgreSQL's COPY, or `bulk_create` elsewhere.

Rows are tuples in the order of the given fields (attribute names, e.g. `unit_id`), with
ids already set, so rows can point at each other before they are written. JSON fields
arrive as JSON text, dates as ISO text and datetimes as ISO text in UTC without an offset
(the time zone Django's connections use): text is many times cheaper to make and to
send by the million than date and datetime objects. Afterwards `reset_sequences` moves
the id sequences past the ids used, so ordinary inserts go on from there."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max

BULK_BATCH = 2_000


def next_id(model: type[models.Model]) -> int:
    return int(model._default_manager.aggregate(last=Max("pk"))["last"] or 0) + 1


def write(
    model: type[models.Model], fields: Sequence[str], rows: Sequence[tuple[Any, ...]]
) -> None:
    if not rows:
        return
    if connection.vendor == "postgresql":
        _copy(model, fields, rows)
    else:
        _bulk_create(model, fields, rows)


def _copy(
    model: type[models.Model], fields: Sequence[str], rows: Sequence[tuple[Any, ...]]
) -> None:
    if connection.timezone_name != "UTC":
        msg = "Generated datetimes are in UTC: the database connection must use UTC."
        raise ImproperlyConfigured(msg)
    meta = model._meta
    by_name = {field.attname: field.column for field in meta.concrete_fields}
    columns = ", ".join(connection.ops.quote_name(by_name[name]) for name in fields)
    table = connection.ops.quote_name(meta.db_table)
    with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _bulk_create(
    model: type[models.Model], fields: Sequence[str], rows: Sequence[tuple[Any, ...]]
) -> None:
    concrete = model._meta.concrete_fields
    json_fields = {f.attname for f in concrete if isinstance(f, models.JSONField)}
    datetime_fields = {f.attname for f in concrete if isinstance(f, models.DateTimeField)}
    objects = []
    for row in rows:
        values = dict(zip(fields, row, strict=True))
        for name in json_fields & values.keys():
            values[name] = json.loads(values[name])
        for name in datetime_fields & values.keys():
            if values[name] is not None:
                values[name] = datetime.fromisoformat(values[name]).replace(tzinfo=UTC)
        objects.append(model(**values))
    model._default_manager.bulk_create(objects, batch_size=BULK_BATCH)


def reset_sequences(*models_: type[models.Model]) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), list(models_))
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def analyse(*models_: type[models.Model]) -> None:
    """Fresh planner statistics after a bulk load, so the next queries plan well."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models_:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


@contextmanager
def loading(*models_: type[models.Model]) -> Iterator[None]:
    """Load into the tables of `models_` without their foreign keys and plain indexes.

    On PostgreSQL they are dropped for the load and made again after it, as pg_restore
    does: checking and indexing millions of rows in one pass each is many times faster
    than row by row (a deferred foreign key is a trigger per row). Use it inside a
    transaction: the schema changes are part of it, so a failed load leaves the tables as
    they were. Elsewhere it does nothing."""
    if connection.vendor != "postgresql":
        yield
        return
    tables = [model._meta.db_table for model in models_]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        # Checks still waiting for the commit would block changing the tables.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY(%s::regclass[])",
            [tables],
        )
        foreign_keys = cursor.fetchall()
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes "
            "WHERE schemaname = current_schema() AND tablename = ANY(%s) AND indexname NOT IN "
            "(SELECT conname FROM pg_constraint WHERE conrelid = ANY(%s::regclass[]))",
            [tables, tables],
        )
        indexes = cursor.fetchall()
        for table, name, _definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {quote(name)}")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _name, definition in indexes:
            cursor.execute(definition)
        for table, name, definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
