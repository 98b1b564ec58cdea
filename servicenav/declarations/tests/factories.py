"""Declarations for tests, made through the services the way staff make them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from servicenav.declarations.services import (
    commitment_add,
    declaration_create,
    version_approve,
    version_publish,
    version_submit,
)
from servicenav.organisation.models import Role
from servicenav.testing import make_user

if TYPE_CHECKING:
    from servicenav.declarations.models import Version
    from servicenav.organisation.models import Unit

ANSWER_PROMISE: dict[str, Any] = {
    "text_sv": "Vi svarar inom 10 arbetsdagar.",
    "text_en": "We answer within 10 working days.",
    "measure": "answered_within",
    "limit_days": 10,
    "threshold": Decimal("90.0"),
}


def draft_declaration(
    unit: Unit, *, promises: list[dict[str, Any]] | None = None, **content: Any
) -> Version:
    """A draft with its promises, written by a quality coordinator of the unit."""
    writer = make_user(role=Role.QUALITY_COORDINATOR, unit=unit)
    fields = {"service_sv": "Gator", "service_en": "Streets", **content}
    version = declaration_create(unit=unit, by=writer, **fields)
    for promise in promises if promises is not None else [ANSWER_PROMISE]:
        commitment_add(version=version, by=writer, **promise)
    return version


def publish(
    version: Version,
    *,
    valid_from: date | None = None,
    review_by: date | None = None,
    approved_at: datetime | None = None,
) -> Version:
    """Send `version` for approval, have a manager of its unit approve it, publish it."""
    manager = make_user(role=Role.UNIT_MANAGER, unit=version.declaration.unit)
    version_submit(version=version, by=manager, at=approved_at)
    version_approve(version=version, by=manager, review_by=review_by, at=approved_at)
    version_publish(version=version, by=manager, valid_from=valid_from, at=approved_at)
    version.refresh_from_db()
    return version


def published_declaration(
    unit: Unit,
    *,
    promises: list[dict[str, Any]] | None = None,
    valid_from: date | None = None,
    review_by: date | None = None,
    approved_at: datetime | None = None,
    **content: Any,
) -> Version:
    """A declaration in force: its first version, written, approved and published."""
    version = draft_declaration(unit, promises=promises, **content)
    return publish(version, valid_from=valid_from, review_by=review_by, approved_at=approved_at)
