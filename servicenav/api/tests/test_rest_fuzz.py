"""Property-based fuzzing of the REST API: schemathesis generates requests from our own
OpenAPI schema, both fitting it and deliberately not, and sends them with a real staff key
to the Django WSGI application in this process. Whatever it sends, the answer is never a
server error.

Bounded so that it runs in `make test`: EXAMPLES examples per operation and mode, no
example database, no deadline. The operations are driven with Hypothesis directly rather
than through schemathesis' pytest plugin, whose lazy-fixture loader does not run on the
pytest we use."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from servicenav.api.services import api_key_create
from servicenav.cases.models import Case, Category
from servicenav.cases.services import case_close
from servicenav.declarations.follow_up import follow_up_declaration
from servicenav.declarations.models import Declaration, Measure
from servicenav.declarations.services import (
    commitment_add,
    declaration_create,
    version_approve,
    version_publish,
    version_submit,
)
from servicenav.kpis.models import Indicator, Measurement
from servicenav.organisation.models import Role, Unit
from servicenav.testing import make_case, make_user
from servicenav.wsgi import application

if TYPE_CHECKING:
    from collections.abc import Iterator

pytestmark = pytest.mark.django_db

EXAMPLES = 25
OPERATIONS = [
    ("GET", "/api/v1/cases/"),
    ("GET", "/api/v1/cases/{id}/"),
    ("POST", "/api/v1/cases/{id}/reply/"),
    ("POST", "/api/v1/cases/{id}/notes/"),
    ("POST", "/api/v1/cases/{id}/status/"),
    ("POST", "/api/v1/cases/{id}/assign/"),
    ("POST", "/api/v1/cases/{id}/move/"),
    ("GET", "/api/v1/units/"),
    ("GET", "/api/v1/categories/"),
    ("GET", "/api/v1/declarations/"),
    ("GET", "/api/v1/declarations/{id}/"),
    ("GET", "/api/v1/declarations/{id}/follow-ups/"),
    ("GET", "/api/v1/indicators/"),
    ("GET", "/api/v1/indicators/{id}/"),
    ("GET", "/api/v1/measurements/"),
    ("GET", "/api/v1/kolada/values/"),
]


@pytest.fixture
def world(tree, settings) -> tuple[str, Case, Declaration, Indicator]:
    """A handler of Teknik, their key, and cases and declarations in and out of their
    sight; one case and one declaration of theirs are returned to aim the operations at, so
    that the fuzzed bodies reach the services."""
    # Hundreds of requests with one key: keep the rate limit out of it.
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api_key": "100000/hour"},
    }
    cache.clear()
    handler = make_user(role=Role.CASE_HANDLER, unit=tree.teknik)
    make_user(role=Role.CASE_HANDLER, unit=tree.gata)
    Category.objects.create(unit=tree.gata, name_sv="Snö", name_en="Snow")
    for unit in (tree.vatten, tree.hemtjanst, None):
        make_case(unit=unit, reporter_email="maja@example.org")
    closed = make_case(unit=tree.gata, kind="question")
    case_close(case=closed, outcome="answered", by=handler)
    target = make_case(unit=tree.gata, reporter_email="maja@example.org")
    declaration = _followed_up_declaration(tree.gata)
    _followed_up_declaration(tree.hemtjanst)
    indicator = _measured_indicator(tree.gata)
    _measured_indicator(tree.hemtjanst)
    _api_key, key = api_key_create(name="Fuzz", user=handler, by=None)
    return key, target, declaration, indicator


def _measured_indicator(unit: Unit) -> Indicator:
    indicator = Indicator.objects.create(
        unit=unit,
        code="svar",
        name_sv="Svar i tid",
        name_en="Answered in time",
        kind="lead_time",
        definition_sv="Andel besvarade senast svarsdagen, per månad.",
        statistic="share_answered_by_deadline",
        source="cases",
        unit_of_measure="percent",
    )
    Measurement.objects.create(
        indicator=indicator,
        unit=unit,
        period="2025-03",
        period_start=date(2025, 3, 1),
        period_end=date(2025, 3, 31),
        value=Decimal("87.5"),
        n=40,
        source="cases",
    )
    return indicator


def _followed_up_declaration(unit: Unit) -> Declaration:
    manager = make_user(role=Role.UNIT_MANAGER, unit=unit)
    version = declaration_create(unit=unit, by=manager, service_sv="Snöröjning")
    commitment_add(
        version=version,
        by=manager,
        text_sv="Vi svarar inom 10 arbetsdagar.",
        measure=Measure.ANSWERED_WITHIN,
        limit_days=10,
        threshold=Decimal(90),
    )
    version_submit(version=version, by=manager)
    version_approve(version=version, by=manager)
    version_publish(version=version, by=manager, valid_from=date(2025, 1, 1))
    follow_up_declaration(version.declaration, today=date(2025, 7, 1))
    return version.declaration


@pytest.fixture
def wsgi_in_test_transaction() -> Iterator[None]:
    """Requests go to the real WSGI application, which closes "old" database connections
    at each request's start and end. Inside the test's transaction that would close the
    test's own connection (on PostgreSQL); Django's test client holds the same signal back."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


@pytest.fixture
def api_schema(world, wsgi_in_test_transaction):
    return schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)


def test_every_operation_of_the_schema_is_fuzzed(api_schema):
    found = {
        (operation.ok().method.upper(), operation.ok().path)
        for operation in api_schema.get_all_operations()
    }
    assert found == set(OPERATIONS)


# Operations on one case or declaration run twice: with any id (mostly ones that do not
# exist), and aimed at one the key's owner handles, so that the fuzzed input reaches the
# services.
RUNS = [
    pytest.param(method, path, aimed, id=f"{method} {path}{' at their case' if aimed else ''}")
    for method, path in OPERATIONS
    for aimed in ([False, True] if "{id}" in path else [False])
]


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize(("method", "path", "aimed"), RUNS)
def test_no_request_makes_the_api_fail(api_schema, world, method, path, aimed, mode):
    key, case, declaration, indicator = world
    operation = api_schema.find_operation_by_path(method, path)
    assert operation is not None
    target = (
        declaration
        if path.startswith("/api/v1/declarations/")
        else indicator
        if path.startswith("/api/v1/indicators/")
        else case
    )
    fixed = {"id": target.pk} if aimed else None
    strategy = operation.as_strategy(generation_mode=mode, path_parameters=fixed)

    @given(case=strategy)
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def send(case: schemathesis.Case) -> None:
        response = case.call(headers={"Authorization": f"Bearer {key}"})
        case.validate_response(response, checks=[not_a_server_error])

    send()
