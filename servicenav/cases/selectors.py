"""Reads of cases for staff: the inbox, who may handle a case, answer templates, history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, cast

from django.core.paginator import Paginator
from django.db.models import BooleanField, ExpressionWrapper, IntegerField, Q, Value, When
from django.db.models import Case as SqlCase
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from servicenav.cases.access import HANDLERS, TRIAGERS
from servicenav.cases.models import (
    AnswerTemplate,
    Case,
    CaseEvent,
    CaseQuerySet,
    Channel,
    Outcome,
    Status,
)
from servicenav.organisation.models import Unit, User

if TYPE_CHECKING:
    from collections.abc import Callable

    from django.contrib.auth.models import AnonymousUser
    from django.core.paginator import Page
    from django.db.models import QuerySet
    from django.utils.functional import Promise

    from servicenav.cases.models import Category

OPEN = "open"  # the status filter's "every status but closed"
STATUS_RANK = {Status.NEW: 0, Status.IN_PROGRESS: 1, Status.WAITING: 2, Status.CLOSED: 3}
# The inbox's sort keys (?sortera=) and the columns they order by; "-" reverses.
SORTS = {
    "inkommen": "received_at",
    "svara-senast": "answer_by",
    "status": "status_rank",
    "referens": "reference",
}
DEFAULT_SORT = "-inkommen"


@dataclass(frozen=True)
class InboxFilters:
    """What the inbox is narrowed to; empty values mean "any"."""

    status: str = ""
    kind: str = ""
    unit: Unit | None = None
    category: Category | None = None
    channel: str = ""
    overdue: bool = False
    mine: bool = False
    triage: bool = False
    received_from: date | None = None
    received_to: date | None = None
    search: str = ""
    sort: str = DEFAULT_SORT


def overdue_condition(today: date) -> Q:
    """Open cases past a deadline: not acknowledged in time, or not answered in time. A case
    waiting for the citizen is not late with its answer: its answer clock is stopped."""
    late_answer = Q(answer_by__lt=today) & ~Q(status=Status.WAITING)
    late_acknowledgement = Q(acknowledged_at__isnull=True, acknowledge_by__lt=today)
    return ~Q(status=Status.CLOSED) & (late_answer | late_acknowledgement)


def with_overdue(cases: CaseQuerySet, today: date | None = None) -> CaseQuerySet:
    """Cases with `is_overdue` worked out by the database, for filters and for display."""
    condition = overdue_condition(today or timezone.localdate())
    return cases.annotate(is_overdue=ExpressionWrapper(condition, output_field=BooleanField()))


def _search_condition(search: str) -> Q:
    # SQLite's LIKE folds case for ASCII only, so "Snö" would miss "SNÖ": try the usual
    # spellings too. On PostgreSQL the extra terms change nothing.
    condition = Q()
    for spelling in {search, search.lower(), search.upper(), search.capitalize()}:
        condition |= Q(reference__icontains=spelling) | Q(text__icontains=spelling)
    return condition


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _ordering(sort: str) -> list[str]:
    key = sort.removeprefix("-")
    if key not in SORTS:
        sort, key = DEFAULT_SORT, DEFAULT_SORT.removeprefix("-")
    prefix = "-" if sort.startswith("-") else ""
    return [f"{prefix}{SORTS[key]}", f"{prefix}id"]


def _choice_conditions(filters: InboxFilters) -> Q:
    condition = Q()
    if filters.status == OPEN:
        condition &= ~Q(status=Status.CLOSED)
    elif filters.status:
        condition &= Q(status=filters.status)
    if filters.kind:
        condition &= Q(kind=filters.kind)
    if filters.channel:
        condition &= Q(channel=filters.channel)
    if filters.category is not None:
        condition &= Q(category=filters.category)
    if filters.unit is not None:
        condition &= Q(unit__path__startswith=filters.unit.path)
    return condition


def _filter_conditions(user: User | AnonymousUser, filters: InboxFilters, today: date) -> Q:
    condition = _choice_conditions(filters)
    if filters.overdue:
        condition &= overdue_condition(today)
    if filters.mine:
        condition &= Q(assigned_to_id=user.pk)
    if filters.triage:
        condition &= Q(unit__isnull=True)
    if filters.received_from:
        condition &= Q(received_at__gte=_day_start(filters.received_from))
    if filters.received_to:
        condition &= Q(received_at__lt=_day_start(filters.received_to + timedelta(days=1)))
    if filters.search:
        condition &= _search_condition(filters.search)
    return condition


def _listed(cases: CaseQuerySet, *, sort: str, today: date) -> CaseQuerySet:
    """`cases` as a list shows them: overdue or not, with their unit, service and handler,
    in the order asked."""
    ranks = [When(status=status, then=Value(rank)) for status, rank in STATUS_RANK.items()]
    cases = with_overdue(cases, today).annotate(
        status_rank=SqlCase(*ranks, output_field=IntegerField())
    )
    return cases.select_related("unit", "category", "assigned_to").order_by(*_ordering(sort))


def inbox_cases(*, user: User | AnonymousUser, filters: InboxFilters) -> CaseQuerySet:
    """The cases `user` may read, narrowed and ordered as asked; one query per page."""
    today = timezone.localdate()
    cases = Case.objects.visible_to(user).filter(_filter_conditions(user, filters, today))
    return _listed(cases, sort=filters.sort, today=today)


# What a row of the inbox shows: the page reads these columns and no others (not the
# citizen's text and contact details, nor every column of the handler's account).
INBOX_COLUMNS = (
    "reference",
    "kind",
    "status",
    "received_at",
    "answer_by",
    "unit__name_sv",
    "unit__name_en",
    "category__name_sv",
    "category__name_en",
    "assigned_to__username",
    "assigned_to__first_name",
    "assigned_to__last_name",
)


class IdsFirstPaginator(Paginator):
    """Pages of a case list, each read in one query of two steps: the page's ids, filtered
    and sorted from an index alone where one covers the filters (the open cases of a unit
    and the overdue test: `case_open_by_unit`), then those rows alone with what the list
    shows. Thousands of matching cases then cost no table reads beyond the page's own."""

    def __init__(
        self, cases: CaseQuerySet, per_page: int, *, shown: Callable[[CaseQuerySet], CaseQuerySet]
    ) -> None:
        super().__init__(cases, per_page)
        self.shown = shown

    def page(self, number: int | str) -> Page:
        page = super().page(number)
        ids = cast("CaseQuerySet", page.object_list).values("pk")  # a slice of the cases
        page.object_list = self.shown(Case.objects.filter(pk__in=ids))
        return page


def inbox_paginator(
    *, user: User | AnonymousUser, filters: InboxFilters, per_page: int
) -> IdsFirstPaginator:
    """The inbox's pages: `inbox_cases` `per_page` at a time, with the `INBOX_COLUMNS`."""
    today = timezone.localdate()

    def shown(cases: CaseQuerySet) -> CaseQuerySet:
        return _listed(cases, sort=filters.sort, today=today).only(*INBOX_COLUMNS)

    return IdsFirstPaginator(inbox_cases(user=user, filters=filters), per_page, shown=shown)


def _ancestor_ids(unit: Unit) -> list[int]:
    return [int(part) for part in unit.path.strip("/").split("/")]


def handlers_for(unit: Unit | None, *, including: User | None = None) -> QuerySet[User]:
    """People who may handle the unit's cases: a handling role for it or a unit above it.
    For a case without a unit, those who triage. `including` adds one more (oneself)."""
    if unit is None:
        holds_role = Q(
            role_assignments__role__in=TRIAGERS, role_assignments__unit__parent__isnull=True
        )
    else:
        holds_role = Q(
            role_assignments__role__in=HANDLERS, role_assignments__unit__in=_ancestor_ids(unit)
        )
    users = User.objects.filter(holds_role, is_active=True).values("pk")
    chosen = Q(pk__in=users)
    if including is not None:
        chosen |= Q(pk=including.pk)
    return User.objects.filter(chosen).order_by("first_name", "last_name", "username")


def answer_templates_for(case: Case) -> QuerySet[AnswerTemplate]:
    """Templates for the case's unit or a unit above it, or for every unit; for its kind or
    for every kind."""
    units = Q(unit__isnull=True)
    if case.unit is not None:
        units |= Q(unit__in=_ancestor_ids(case.unit))
    return AnswerTemplate.objects.filter(units, kind__in=[case.kind, ""])


def fill_template(template: AnswerTemplate, *, case: Case, user: User) -> str:
    """The template's text with its placeholders filled in. Plain replacement, not
    str.format, so a stray brace or a `{reference.__class__}` stays harmless text."""
    handler = case.assigned_to or user
    values = {
        "{reference}": case.reference,
        "{unit}": case.unit.name if case.unit else "",
        "{handler}": handler.get_full_name() or handler.get_username(),
        "{received}": timezone.localtime(case.received_at).date().isoformat(),
    }
    text = template.body
    for placeholder, value in values.items():
        text = text.replace(placeholder, value)
    return text


# How the history names the values it recorded: field label and, for codes, their choices.
EVENT_FIELDS: dict[str, tuple[Promise, dict[Any, Any]]] = {
    "handler": (_("handler"), {}),
    "unit": (_("unit"), {}),
    "category": (_("category"), {}),
    "status": (_("status"), dict(Status.choices)),
    "outcome": (_("outcome"), dict(Outcome.choices)),
    "channel": (_("channel"), dict(Channel.choices)),
    "related": (_("related case"), {}),
    "duplicate": (_("duplicate"), {}),
    "values": (_("values"), {}),
    "published": (_("published"), {True: _("yes"), False: _("no")}),
    "commitment": (_("promise"), {}),
}
CITIZEN_EVENTS = {
    CaseEvent.Type.CREATED,
    CaseEvent.Type.CITIZEN_MESSAGE,
    CaseEvent.Type.REOPENED,
    CaseEvent.Type.STATUS,
}


@dataclass(frozen=True)
class HistoryEntry:
    event: CaseEvent
    by_citizen: bool
    changes: list[tuple[str, str]]

    @property
    def is_note(self) -> bool:
        return self.event.type == CaseEvent.Type.NOTE


def _shown(value: Any, choices: dict[Any, Any]) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, list):
        return ", ".join(_shown(item, choices) for item in value) or "–"
    return capfirst(str(choices.get(value, value))) or "–"


def _describe(data: dict[str, Any]) -> list[tuple[str, str]]:
    described = []
    for key, value in data.items():
        label, choices = EVENT_FIELDS.get(key, (key, {}))
        if isinstance(value, dict) and {"from", "to"} <= value.keys():
            text = f"{_shown(value['from'], choices)} → {_shown(value['to'], choices)}"
        else:
            text = _shown(value, choices)
        described.append((str(label), text))
    return described


def case_history(case: Case) -> list[HistoryEntry]:
    """Every event of the case, oldest first, with who did it and what changed."""
    events = case.events.select_related("actor")
    return [
        HistoryEntry(
            event=event,
            by_citizen=event.actor_id is None and event.type in CITIZEN_EVENTS,
            changes=_describe(event.data),
        )
        for event in events
    ]


@dataclass(frozen=True)
class DeadlineState:
    """One clock as the case page shows it."""

    due: date
    done_at: datetime | None
    # "met", "missed", "overdue", "paused" or "running"
    state: str


def _state(in_time: bool | None, *, due: date, today: date, paused: bool) -> str:
    if in_time is not None:
        return "met" if in_time else "missed"
    if paused:
        return "paused"
    return "overdue" if due < today else "running"


def case_deadlines(case: Case, today: date | None = None) -> dict[str, DeadlineState]:
    today = today or timezone.localdate()
    return {
        "acknowledge": DeadlineState(
            due=case.acknowledge_by,
            done_at=case.acknowledged_at,
            state=_state(
                case.acknowledged_in_time, due=case.acknowledge_by, today=today, paused=False
            ),
        ),
        "answer": DeadlineState(
            due=case.answer_by,
            done_at=case.closed_at,
            state=_state(
                case.answered_in_time if case.is_closed else None,
                due=case.answer_by,
                today=today,
                paused=case.status == Status.WAITING,
            ),
        ),
    }
