"""The audit log service: record who did what to which object, and what changed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from servicenav.core.models import AuditEntry

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from servicenav.organisation.models import Unit, User

Changes = dict[str, dict[str, Any]]


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """Field values as the log shows them: plain JSON, related objects by their name."""
    values: dict[str, Any] = {}
    for name in fields:
        value = getattr(obj, name)
        if value is None or isinstance(value, bool | int | float | str):
            values[name] = value
        else:
            values[name] = str(value)
    return values


def field_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> Changes:
    """{field: {"from": old, "to": new}} for every field whose value differs."""
    return {
        name: {"from": before.get(name), "to": after.get(name)}
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name)
    }


def audit_record(
    *,
    actor: User | None,
    action: str,
    obj: models.Model,
    unit: Unit | None = None,
    changes: Changes | None = None,
) -> AuditEntry:
    """Record one action. `actor` None means the system itself (a command or a task)."""
    return AuditEntry.objects.create(
        actor=actor,
        actor_name=actor.get_username() if actor else "",
        action=action,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        unit=unit,
        changes=changes or {},
    )
