from __future__ import annotations

from dataclasses import dataclass

import pytest

from servicenav.network.services import member_add
from servicenav.organisation.models import Role, User
from servicenav.testing import make_user


@dataclass
class People:
    coordinator: User  # quality coordinator of the whole municipality, not a member
    chair: User
    member: User
    outsider: User  # a unit manager of a förvaltning, not a member
    teknik_coordinator: User  # a coordinator below the top: not enough on its own


@pytest.fixture
def people(tree) -> People:
    chair = make_user(role=Role.CASE_HANDLER, unit=tree.gata, first_name="Cia", last_name="Chair")
    member = make_user(role=Role.CASE_HANDLER, unit=tree.hemtjanst, first_name="Mo")
    member_add(user=chair, by=None)
    member_add(user=member, by=None)
    return People(
        coordinator=make_user(role=Role.QUALITY_COORDINATOR, unit=tree.kommun),
        chair=chair,
        member=member,
        outsider=make_user(role=Role.UNIT_MANAGER, unit=tree.teknik),
        teknik_coordinator=make_user(role=Role.QUALITY_COORDINATOR, unit=tree.teknik),
    )
