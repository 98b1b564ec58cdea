"""Factories for tests: small functions that make valid objects with few arguments."""

from __future__ import annotations

import uuid
from itertools import count
from typing import Any

from servicenav.cases.models import Case
from servicenav.cases.services import case_submit
from servicenav.organisation.models import Role, Unit, User
from servicenav.organisation.services import role_grant, unit_create

_serial = count(1)


def make_unit(*, parent: Unit | None = None, name: str = "", kind: str = "") -> Unit:
    number = next(_serial)
    name = name or f"Enhet {number}"
    return unit_create(
        by=None,
        kind=kind or (Unit.Kind.SERVICE if parent else Unit.Kind.MUNICIPALITY),
        name_sv=name,
        name_en=f"{name} (en)",
        slug=f"unit-{number}",
        parent=parent,
    )


def make_user(*, role: Role | None = None, unit: Unit | None = None, **fields: object) -> User:
    """A staff account; with `role` and `unit`, one holding that role there."""
    number = next(_serial)
    defaults: dict[str, object] = {
        "username": f"user{number}",
        "email": f"user{number}@example.org",
    }
    user = User.objects.create_user(**(defaults | fields))  # type: ignore[arg-type]
    if role is not None and unit is not None:
        role_grant(user=user, unit=unit, role=role, by=None)
    return user


def make_case(
    *,
    unit: Unit | None = None,
    kind: str = "complaint",
    text: str = "Det är halt på trottoaren.",
    **fields: Any,
) -> Case:
    """A case as if a citizen sent it through the web form (no staff involved)."""
    case, _code = case_submit(kind=kind, unit=unit, text=text, **fields)
    return case


def feedback_form(**changes: object) -> dict[str, object]:
    """What the public feedback form sends for an anonymous complaint, with `changes`;
    each call carries a new submission token, as each showing of the form does."""
    data: dict[str, object] = {
        "kind": "complaint",
        "unit": "",
        "text": "Gatlyktan vid busshållplatsen har varit släckt i en vecka.",
        "place": "",
        "latitude": "",
        "longitude": "",
        "contact": "anonymous",
        "name": "",
        "email": "",
        "phone": "",
        "website": "",
        "submission_token": str(uuid.uuid4()),
    }
    return data | changes
