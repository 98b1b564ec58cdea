"""Staff pages of improvement actions: lists, the detail with its timeline and links, and
the forms that change an action. Every view goes through the gate in improvement.access
and writes only through improvement.services."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from servicenav.improvement import forms as f
from servicenav.improvement import selectors, services
from servicenav.improvement.access import (
    PROPOSERS,
    actions_visible_to,
    can_decide,
    can_propose,
    get_action_for_user,
)
from servicenav.improvement.services import TRANSITIONS
from servicenav.organisation.models import Unit, User

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

    from servicenav.improvement.models import Action


def staff_user(request: HttpRequest) -> User:
    return cast("User", request.user)


@login_required
def action_list(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    form = f.ActionFilterForm(request.GET or None, user=user)
    filters = form.cleaned_data if form.is_valid() else {}
    actions = selectors.action_list(
        actions_visible_to(user),
        unit=filters.get("unit"),
        status=filters.get("status", ""),
        value=filters.get("value"),
    )
    can_create = Unit.objects.visible_to(user, PROPOSERS).exists()
    context = {"form": form, "actions": actions, "can_create": can_create}
    return render(
        request, "improvement/staff/list.html", context, status=200 if not form.errors else 400
    )


def _detail(
    request: HttpRequest, action: Action, *, status: int = 200, **forms: Any
) -> HttpResponse:
    user = staff_user(request)
    allowed = TRANSITIONS.get(action.status, {})
    context = {
        "action": action,
        "updates": action.updates.select_related("by"),
        "cases": action.cases.visible_to(user).select_related("unit"),
        "rounds": action.rounds.select_related("survey"),
        "conclusions": action.conclusions.all(),
        "focus_groups": action.focus_groups.all(),
        "follow_ups": action.follow_ups.select_related("commitment"),
        "can_propose": can_propose(user, action.unit),
        "can_decide": can_decide(user, action.unit),
        "transitions": [(s, action.Status(s).label) for s in allowed],
        "status_form": forms.get("status_form") or f.StatusForm(),
        "update_form": forms.get("update_form")
        or f.UpdateForm(initial={"date": timezone.localdate()}),
        "link_form": forms.get("link_form") or f.LinkCaseForm(),
        "source_form": forms.get("source_form") or f.LinkSourceForm(user=user),
        "publish_form": forms.get("publish_form")
        or f.PublishForm(
            initial={"text_sv": action.public_text_sv, "text_en": action.public_text_en}
        ),
    }
    return render(request, "improvement/staff/detail.html", context, status=status)


@login_required
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, get_action_for_user(request.user, pk))


@login_required
def action_create(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    form = f.ActionForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            action = services.action_create(by=user, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("improvement:staff-detail", action.pk)
    status = 400 if form.errors else 200
    return render(request, "improvement/staff/form.html", {"form": form}, status=status)


@login_required
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    action = get_action_for_user(user, pk, write=True)
    initial = {name: getattr(action, name) for name in services.ACTION_FIELDS}
    initial |= {"progress": action.progress, "values": action.values.all()}
    form = f.ActionForm(request.POST or None, user=user, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.action_edit(action=action, by=user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("improvement:staff-detail", action.pk)
    context = {"form": form, "action": action}
    return render(
        request, "improvement/staff/form.html", context, status=400 if form.errors else 200
    )


@login_required
@require_POST
def action_status(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    action = get_action_for_user(user, pk, write=True)
    form = f.StatusForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(list(form.errors.get("status") or []))
        services.action_set_status(action=action, by=user, **form.cleaned_data)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        action.refresh_from_db()
        return _detail(request, action, status=400, status_form=form)
    return redirect("improvement:staff-detail", action.pk)


@login_required
@require_POST
def action_update(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    action = get_action_for_user(user, pk, write=True)
    form = f.UpdateForm(request.POST)
    if not form.is_valid():
        return _detail(request, action, status=400, update_form=form)
    data = form.cleaned_data
    services.action_add_update(action=action, text=data["text"], on=data["date"], by=user)
    return redirect("improvement:staff-detail", action.pk)


@login_required
@require_POST
def action_link_case(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    action = get_action_for_user(user, pk, write=True)
    form = f.LinkCaseForm(request.POST)
    try:
        if form.is_valid():
            services.action_link_case(
                action=action, reference=form.cleaned_data["reference"], by=user
            )
    except ValidationError as error:
        form.add_error("reference", error)
    if form.errors:
        return _detail(request, action, status=400, link_form=form)
    return redirect("improvement:staff-detail", action.pk)


@login_required
@require_POST
def action_unlink_case(request: HttpRequest, pk: int, case_pk: int) -> HttpResponse:
    user = staff_user(request)
    action = get_action_for_user(user, pk, write=True)
    case = action.cases.visible_to(user).filter(pk=case_pk).first()
    if case is not None:
        services.action_unlink_case(action=action, case=case, by=user)
    return redirect("improvement:staff-detail", action.pk)


@login_required
@require_POST
def action_link_source(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    action = get_action_for_user(user, pk, write=True)
    form = f.LinkSourceForm(request.POST, user=user)
    try:
        if form.is_valid():
            kind, source_pk = form.cleaned_data["source"]
            remove = bool(request.POST.get("remove"))
            services.action_link_source(
                action=action, kind=kind, pk=source_pk, by=user, remove=remove
            )
    except ValidationError as error:
        form.add_error("source", error)
    if form.errors:
        return _detail(request, action, status=400, source_form=form)
    return redirect("improvement:staff-detail", action.pk)


@login_required
@require_POST
def action_publish(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    action = get_action_for_user(user, pk, decide=True)
    if request.POST.get("unpublish"):
        services.action_unpublish(action=action, by=user)
        return redirect("improvement:staff-detail", action.pk)
    form = f.PublishForm(request.POST)
    try:
        if form.is_valid():
            services.action_publish(action=action, by=user, **form.cleaned_data)
    except ValidationError as error:
        form.add_error(None, error)
    if form.errors:
        return _detail(request, action, status=400, publish_form=form)
    return redirect("improvement:staff-detail", action.pk)


@login_required
def feedback_without_action(request: HttpRequest) -> HttpResponse:
    groups = selectors.feedback_without_action(staff_user(request))
    return render(request, "improvement/staff/unactioned.html", {"groups": groups})
