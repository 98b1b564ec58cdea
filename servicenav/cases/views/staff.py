"""The staff side of cases: the inbox, registering feedback from other channels, the case
page and every action on a case. Each view goes through the gate in cases.access."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from servicenav.cases import forms_staff as f
from servicenav.cases import services
from servicenav.cases.access import can_handle, can_register, get_case_for_user
from servicenav.cases.models import Case, Kind, Status
from servicenav.cases.selectors import (
    answer_templates_for,
    case_deadlines,
    case_history,
    fill_template,
    inbox_paginator,
)
from servicenav.organisation.models import User

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from django.utils.functional import Promise


# A handler works through the open cases of several units: 50 rows a page, the workload
# of issue 10, at the same two queries (the count and the page) as 25.
PAGE_SIZE = 50


class InboxRow(NamedTuple):
    """A case as a row of the inbox shows it, every cell worked out here in Python: the
    template's filters and lookups over 50 rows cost each request several milliseconds
    (issue 10). Empty `unit`, `category` and `handler` read as none."""

    url: str
    reference: str
    kind: str
    unit: str
    category: str
    status: str
    received_iso: str  # local time, as `|date:"c"` gives it
    received: str
    answer_by: str
    is_overdue: bool
    handler: str


class _InboxLabels(NamedTuple):
    """The kind and status labels, read once a request: get_FOO_display rebuilds its map
    of choices at every call, twice a row."""

    kinds: dict[str, str]
    statuses: dict[str, str]

    @classmethod
    def current(cls) -> _InboxLabels:
        def labels(choices: list[tuple[str, Any]]) -> dict[str, str]:
            return {value: capfirst(label) for value, label in choices}

        return cls(kinds=labels(Kind.choices), statuses=labels(Status.choices))


def _inbox_rows(cases: Iterable[Case]) -> list[InboxRow]:
    labels = _InboxLabels.current()
    return [_inbox_row(case, labels) for case in cases]


def _inbox_row(case: Case, labels: _InboxLabels) -> InboxRow:
    received = timezone.localtime(case.received_at)
    return InboxRow(
        url=reverse("cases:case", args=[case.pk]),
        reference=case.reference,
        kind=labels.kinds.get(case.kind, case.kind),  # an unknown code shows as it is
        unit=case.unit.name if case.unit else "",
        category=case.category.name if case.category else "",
        status=labels.statuses.get(case.status, case.status),
        received_iso=received.isoformat(),
        received=received.strftime("%Y-%m-%d %H:%M"),
        answer_by=case.answer_by.isoformat(),
        is_overdue=case.is_overdue,  # type: ignore[attr-defined]  # annotated by the selector
        handler=str(case.assigned_to) if case.assigned_to else "",
    )


def _staff(request: HttpRequest) -> User:
    # Every view here is behind login_required, so the user is a staff account.
    return cast("User", request.user)


@login_required
@never_cache
def inbox(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    form = f.InboxFilterForm(request.GET or None, user=user)
    filters = form.filters()
    paginator = inbox_paginator(user=user, filters=filters, per_page=PAGE_SIZE)
    page = paginator.get_page(request.GET.get("sida"))
    context = {
        "form": form,
        "page": page,
        "rows": _inbox_rows(page),
        "sort": filters.sort,
        "can_register": can_register(user),
    }
    return render(request, "cases/staff/inbox.html", context)


@login_required
@never_cache
def register(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    if not can_register(user):
        raise PermissionDenied
    form = f.RegisterForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            case, code = services.case_submit(**form.submission(), by=user)
        except ValidationError as error:
            form.add_error("received_at", error)
        else:
            _tell_registered(request, case, code)
            return redirect("cases:case", pk=case.pk)
    status = 400 if form.is_bound else 200
    return render(request, "cases/staff/register.html", {"form": form}, status=status)


def _tell_registered(request: HttpRequest, case: Case, code: str) -> None:
    """The follow-up code exists in clear text only now: show it this once."""
    if not code:  # the same form sent twice
        messages.info(
            request,
            _("This feedback was already registered as %(reference)s.")
            % {"reference": case.reference},
        )
        return
    text = _(
        "Case %(reference)s is registered. Its follow-up code is %(code)s. Tell the person "
        "now: the code is not shown again."
    )
    messages.success(request, text % {"reference": case.reference, "code": code})


@login_required
@never_cache
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request.user, pk)
    return _render_case(request, case)


@login_required
def attachment(request: HttpRequest, pk: int, token: str) -> FileResponse:
    """An attachment, only through the gate, always as a download (never shown inline)."""
    case = get_case_for_user(request.user, pk)
    item = case.attachments.filter(token=token).first()
    if item is None:
        raise Http404
    try:
        handle = item.file.open("rb")
    except (FileNotFoundError, ValueError):  # gone from disk, or removed when anonymised
        raise Http404 from None
    name = f"{case.reference}-{item.token[:8]}{item.extension}"
    response = FileResponse(
        handle, as_attachment=True, filename=name, content_type=item.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


class Action(NamedTuple):
    """One action on a case: its form, the service call, what to say when done, and the
    form field a service's refusal belongs to."""

    form: type[f.CaseActionForm]
    perform: Callable[[Case, User, dict[str, Any]], object]
    done: Promise
    error_field: str | None = None


# The URL slug of every action on a case page.
ACTIONS: dict[str, Action] = {
    "kvittera": Action(
        f.CaseActionForm,
        lambda case, by, data: services.case_acknowledge(case=case, by=by),
        _("The case is acknowledged."),
    ),
    "tilldela": Action(
        f.AssignForm,
        lambda case, by, data: services.case_assign(case=case, to=data["handler"], by=by),
        _("The handler is saved."),
        "handler",
    ),
    "flytta": Action(
        f.MoveForm,
        lambda case, by, data: services.case_move(
            case=case, unit=data["unit"], reason=data["reason"], by=by
        ),
        _("The case is moved."),
        "reason",
    ),
    "kategori": Action(
        f.CategoryForm,
        lambda case, by, data: services.case_categorise(
            case=case, category=data["category"], by=by
        ),
        _("The category is saved."),
        "category",
    ),
    "paborja": Action(
        f.CaseActionForm,
        lambda case, by, data: services.case_start(case=case, by=by),
        _("The case is in progress."),
    ),
    "vanta": Action(
        f.WaitForm,
        lambda case, by, data: services.case_wait(case=case, reason=data["reason"], by=by),
        _("The case is waiting. The answer clock is paused until it is resumed."),
        "reason",
    ),
    "anteckning": Action(
        f.NoteForm,
        lambda case, by, data: services.case_note(case=case, text=data["text"], by=by),
        _("The internal note is saved."),
        "text",
    ),
    "svara": Action(
        f.ReplyForm,
        lambda case, by, data: services.case_reply(case=case, text=data["text"], by=by),
        _("The reply is saved and shown to the citizen."),
        "text",
    ),
    "stang": Action(
        f.CloseForm,
        lambda case, by, data: services.case_close(
            case=case, outcome=data["outcome"], note=data["note"], by=by
        ),
        _("The case is closed."),
        "note",
    ),
    "ateroppna": Action(
        f.ReopenForm,
        lambda case, by, data: services.case_reopen(case=case, reason=data["reason"], by=by),
        _("The case is reopened."),
        "reason",
    ),
    "vardegrunder": Action(
        f.ValuesForm,
        lambda case, by, data: services.case_tag_values(case=case, values=data["values"], by=by),
        _("The values are saved."),
        "values",
    ),
    "koppla": Action(
        f.LinkForm,
        lambda case, by, data: services.case_link(case=case, other=data["other"], by=by),
        _("The cases are linked."),
        "reference",
    ),
    "sammanfoga": Action(
        f.MergeForm,
        lambda case, by, data: services.case_merge(case=case, into=data["other"], by=by),
        _("The case is merged and closed as a duplicate."),
        "reference",
    ),
    "gott-exempel": Action(
        f.GoodExampleForm,
        lambda case, by, data: services.case_mark_good_example(
            case=case, summary=data["summary"], forward=data["forward"], by=by
        ),
        _("The case is saved as a good example."),
        "summary",
    ),
    "publicera": Action(
        f.PublishForm,
        lambda case, by, data: services.case_publish(
            case=case, summary=data["summary"], answer=data["answer"], by=by
        ),
        _("The summary and the answer are published."),
        "summary",
    ),
    "lofte": Action(
        f.CommitmentForm,
        lambda case, by, data: services.case_link_commitment(
            case=case, commitment=data["commitment"], by=by
        ),
        _("The promise is saved."),
        "commitment",
    ),
    "avpublicera": Action(
        f.CaseActionForm,
        lambda case, by, data: services.case_unpublish(case=case, by=by),
        _("The case is no longer published."),
    ),
}


@require_POST
@login_required
@never_cache
def case_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    chosen = ACTIONS.get(action)
    if chosen is None:
        raise Http404
    user = _staff(request)
    case = get_case_for_user(user, pk, write=True)
    form = chosen.form(request.POST, prefix=action, case=case, user=user)
    if form.is_valid():
        try:
            chosen.perform(case, user, form.cleaned_data)
        except ValidationError as error:
            form.add_error(chosen.error_field, error)
            # The service rolled back; show the case as it is, not as it was half-changed.
            case = get_case_for_user(user, pk, write=True)
        else:
            messages.success(request, str(chosen.done))
            if not Case.objects.visible_to(user).filter(pk=pk).exists():
                return redirect("cases:inbox")  # moved to a unit this person does not see
            return redirect("cases:case", pk=case.pk)
    return _render_case(request, case, failed=(action, form), status=400)


def _action_forms(
    request: HttpRequest, case: Case, failed: tuple[str, f.CaseActionForm] | None
) -> dict[str, f.CaseActionForm]:
    """Every action's form, keyed for templates (gott-exempel → gott_exempel)."""
    user = _staff(request)
    built = {
        slug: action.form(prefix=slug, case=case, user=user) for slug, action in ACTIONS.items()
    }
    template = _chosen_template(request, case)
    if template is not None:
        built["svara"] = f.ReplyForm(
            prefix="svara", case=case, user=user, initial={"text": template}
        )
    if failed is not None:
        built[failed[0]] = failed[1]
    return {slug.replace("-", "_"): form for slug, form in built.items()}


def _chosen_template(request: HttpRequest, case: Case) -> str | None:
    """The reply text of the answer template picked with ?mall=<id>, if it fits the case."""
    chosen = request.GET.get("mall", "")
    if not chosen.isdigit():
        return None
    template = answer_templates_for(case).filter(pk=int(chosen)).first()
    if template is None:
        return None
    return fill_template(template, case=case, user=_staff(request))


def _render_case(
    request: HttpRequest,
    case: Case,
    *,
    failed: tuple[str, f.CaseActionForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = _staff(request)
    handling = can_handle(user, case)
    readable = Case.objects.visible_to(user)
    context = {
        "case": case,
        "history": case_history(case),
        "deadlines": case_deadlines(case),
        "attachments": case.attachments.all(),
        "values": case.values.all(),
        "related": readable.filter(related=case).select_related("unit"),
        "merged": readable.filter(merged_into=case),
        "merged_into": case.merged_into_id and readable.filter(pk=case.merged_into_id).first(),
        "can_handle": handling,
        "forms": _action_forms(request, case, failed) if handling else {},
        "failed": failed[0] if failed else "",
        "templates": answer_templates_for(case) if handling else [],
    }
    return render(request, "cases/staff/case.html", context, status=status)
