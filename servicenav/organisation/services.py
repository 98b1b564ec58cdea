"""Writes to the organisation: units and role assignments. Every write is audited."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from servicenav.core.audit import audit_record, field_changes, snapshot
from servicenav.core.models import AuditEntry
from servicenav.organisation.models import RoleAssignment, Unit, User

UNIT_FIELDS = ("parent", "kind", "name_sv", "name_en", "slug", "contact_email", "active")
# A unit's public page is /sa-gar-det/<slug>/; these names are pages of their own there
# (`public.urls`), so a unit with one of them could never be reached.
RESERVED_SLUGS = frozenset({"jamfor"})


def validate_unit_slug(slug: str) -> None:
    """Raise `ValidationError` when `slug` is taken by a page of the public site."""
    if slug.casefold() in RESERVED_SLUGS:
        raise ValidationError(
            _("“%(slug)s” is the address of another public page; choose another short name."),
            code="reserved",
            params={"slug": slug},
        )


@transaction.atomic
def unit_create(
    *,
    by: User | None,
    kind: str,
    name_sv: str,
    name_en: str,
    slug: str,
    parent: Unit | None = None,
    contact_email: str = "",
    active: bool = True,
) -> Unit:
    validate_unit_slug(slug)
    unit = Unit.objects.create(
        parent=parent,
        kind=kind,
        name_sv=name_sv,
        name_en=name_en,
        slug=slug,
        contact_email=contact_email,
        active=active,
    )
    # The path needs the new id, so it is written once the row exists.
    unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
    unit.save(update_fields=["path"])
    audit_record(
        actor=by,
        action=AuditEntry.Action.CREATE,
        obj=unit,
        unit=unit,
        changes=field_changes({}, snapshot(unit, UNIT_FIELDS)),
    )
    return unit


@transaction.atomic
def unit_update(*, unit: Unit, by: User | None, **fields: object) -> Unit:
    """Change a unit's fields; moving it (a new parent) moves its whole subtree."""
    unknown = set(fields) - set(UNIT_FIELDS)
    if unknown:
        raise TypeError(f"unit_update() got unknown fields: {', '.join(sorted(unknown))}")
    parent = fields.get("parent", unit.parent)
    if isinstance(parent, Unit) and parent.is_within(unit):
        raise ValueError("A unit cannot be moved below itself.")
    if "slug" in fields:
        validate_unit_slug(str(fields["slug"]))
    before = snapshot(unit, UNIT_FIELDS)
    for name, value in fields.items():
        setattr(unit, name, value)
    unit.save(update_fields=list(fields))
    if "parent" in fields:
        _move_subtree(unit)
    changes = field_changes(before, snapshot(unit, UNIT_FIELDS))
    if changes:
        audit_record(
            actor=by, action=AuditEntry.Action.UPDATE, obj=unit, unit=unit, changes=changes
        )
    return unit


def _move_subtree(unit: Unit) -> None:
    old_path = unit.path
    new_path = f"{unit.parent.path if unit.parent else '/'}{unit.pk}/"
    if new_path == old_path:
        return
    descendants = list(Unit.objects.filter(path__startswith=old_path))
    for member in descendants:
        member.path = new_path + member.path[len(old_path) :]
    Unit.objects.bulk_update(descendants, ["path"])
    unit.path = new_path


@transaction.atomic
def role_grant(*, user: User, unit: Unit, role: str, by: User | None) -> RoleAssignment:
    assignment, created = RoleAssignment.objects.get_or_create(user=user, unit=unit, role=role)
    if created:
        audit_record(
            actor=by,
            action=AuditEntry.Action.GRANT,
            obj=user,
            unit=unit,
            changes={
                "role": {"from": None, "to": str(role)},
                "unit": {"from": None, "to": str(unit)},
            },
        )
        user.__dict__.pop("role_paths", None)
    return assignment


@transaction.atomic
def role_revoke(*, assignment: RoleAssignment, by: User | None) -> None:
    user, unit, role = assignment.user, assignment.unit, assignment.role
    assignment.delete()
    audit_record(
        actor=by,
        action=AuditEntry.Action.REVOKE,
        obj=user,
        unit=unit,
        changes={"role": {"from": role, "to": None}, "unit": {"from": str(unit), "to": None}},
    )
    user.__dict__.pop("role_paths", None)
