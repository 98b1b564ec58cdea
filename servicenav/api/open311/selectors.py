"""Reads for Open311: services, requests and their public updates.

Requests are cases as the public may see them: only the columns a request shows are
loaded (`REQUEST_COLUMNS`), so the reporter's contact details, their text and their answers
to the service's questions never are (a query-count test would notice any later access to
them). A list finds its page's ids first, from the narrow indexes on open cases, then
reads those rows alone."""

from __future__ import annotations

import functools
import re
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from django.db.models import Exists, OuterRef, Subquery

from servicenav.api.models import ApiKey
from servicenav.cases.access import REFERENCE_SHAPE
from servicenav.cases.models import Case, CaseEvent, Category, CategoryAttribute, Channel, Status

if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import datetime

    from django.db.models import QuerySet

# Ours are category ids; anything longer could not be one (and would overflow the database).
SERVICE_CODE = re.compile(r"\d{1,18}")
OPEN = "open"
CLOSED = "closed"
# What `payloads.request` shows, read as plain values: a page of a list is many rows, and
# model objects for each case, unit and service would cost more than the rest of it.
REQUEST_COLUMNS = (
    "reference",
    "kind",
    "status",
    "outcome",
    "outcome_note",
    "is_published",
    "public_summary",
    "place",
    "latitude",
    "longitude",
    "received_at",
    "closed_at",
    "answer_by",
    "answer_days",
    "unit_id",
    "unit__name_sv",
    "unit__name_en",
    "unit__path",
    "category_id",
    "category__name_sv",
    "category__name_en",
    "category__needs_location",
    "last_public_at",
)
NEWEST_FIRST = ("-received_at", "-id")
Found = TypeVar("Found")
UPDATE_EVENTS = (CaseEvent.Type.STATUS, CaseEvent.Type.CLOSED, CaseEvent.Type.REOPENED)


@dataclass(frozen=True)
class Window:
    start: datetime
    end: datetime


@dataclass(frozen=True)
class Page:
    number: int
    size: int

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size


@dataclass(frozen=True)
class RequestFilters:
    """GET requests' filters. `references` overrides all the others, as the specification
    says; None means "not filtered on", an empty list "matches nothing"."""

    window: Window
    page: Page
    references: list[str] | None = None
    service_codes: list[int] | None = None
    statuses: frozenset[str] = frozenset()


def integrator_key(raw: str) -> ApiKey | None:
    """The active integrator key `raw`; staff REST tokens do not file Open311 requests."""
    key = ApiKey.objects.matching(raw)
    return key if key is not None and key.user_id is None else None


def services() -> QuerySet[Category]:
    """One service per active category of an active unit."""
    attributes = CategoryAttribute.objects.filter(category=OuterRef("pk"))
    return (
        Category.objects.filter(active=True, unit__active=True)
        .select_related("unit")
        .annotate(has_attributes=Exists(attributes))
        .order_by("unit__path", "name_sv", "pk")
    )


def service_by_code(code: str) -> Category | None:
    """The service `code` with its attributes, or None for anything else."""
    if not SERVICE_CODE.fullmatch(code):
        return None
    return services().prefetch_related("attributes").filter(pk=int(code)).first()


@functools.cache
def _requests() -> QuerySet[Case, dict[str, Any]]:
    """Built once per process: every use filters a clone of it, and setting up the
    columns and the subquery is a good part of the cost of one request."""
    last_public = (
        CaseEvent.objects.filter(case=OuterRef("pk"), is_public=True)
        .order_by("-at")
        .values("at")[:1]
    )
    return Case.objects.annotate(last_public_at=Subquery(last_public)).values(*REQUEST_COLUMNS)


def requests_matching(filters: RequestFilters) -> list[dict[str, Any]]:
    """One page of the requests `filters` match, newest first, in one query: the page's
    ids in a subquery that reads an index alone (however many cases match), then those
    rows with their unit and service."""
    cases = Case.objects.all()
    if filters.references is not None:
        cases = cases.filter(reference__in=filters.references)
    else:
        window = filters.window
        cases = cases.filter(received_at__gte=window.start, received_at__lte=window.end)
        if filters.service_codes is not None:
            cases = cases.filter(category_id__in=filters.service_codes)
        if filters.statuses == {OPEN}:
            cases = cases.exclude(status=Status.CLOSED)
        elif filters.statuses == {CLOSED}:
            cases = cases.filter(status=Status.CLOSED)
    page = filters.page
    chosen = cases.order_by(*NEWEST_FIRST).values("pk")[page.offset : page.offset + page.size]
    return list(_requests().filter(pk__in=chosen).order_by(*NEWEST_FIRST))


def _the_one(cases: QuerySet[Case, Found]) -> Found | None:
    """The row a unique column picked, or None; without the ORDER BY `first()` adds."""
    return next(iter(cases.order_by()[:1]), None)


def request_by_reference(reference: str) -> dict[str, Any] | None:
    reference = reference.strip().upper()
    if not REFERENCE_SHAPE.fullmatch(reference):
        return None
    return _the_one(_requests().filter(reference=reference))


def request_by_token(token: str) -> Mapping[str, Any] | None:
    """The case an integrator filed with `token`. Tokens of the web form are not looked
    up: they are the browser's business."""
    try:
        value = uuid.UUID(token)
    except ValueError:
        return None
    cases = Case.objects.filter(submission_token=value, channel=Channel.API)
    return _the_one(cases.values("reference", "submission_token"))


def public_updates(window: Window, page: Page) -> list[CaseEvent]:
    """Status changes, closing and reopening, oldest first."""
    events = (
        CaseEvent.objects.filter(
            is_public=True, type__in=UPDATE_EVENTS, at__gte=window.start, at__lte=window.end
        )
        .select_related("case")
        .only("at", "type", "data", "case", "case__reference")
        .order_by("at", "id")
    )
    return list(events[page.offset : page.offset + page.size])
