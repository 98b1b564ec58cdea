"""Small factories for improvement tests."""

from __future__ import annotations

from typing import Any

from servicenav.improvement.models import Action
from servicenav.improvement.services import action_create
from servicenav.organisation.models import Unit


def make_action(*, unit: Unit, title: str = "Bättre skyltning", **fields: Any) -> Action:
    return action_create(
        unit=unit, title=title, description="Nya skyltar vid entrén.", by=None, **fields
    )
