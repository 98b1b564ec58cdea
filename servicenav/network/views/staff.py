"""The network's workspace: members, the directive, meetings with their decisions and
action items. Every view goes through `network.access` and writes through
`network.services`."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from servicenav.network import forms as f
from servicenav.network import selectors, services
from servicenav.network.access import (
    can_edit_directive,
    get_action_item_for_user,
    get_meeting_for_user,
    require_network,
)
from servicenav.network.models import ActionItem, DirectiveVersion, Member

if TYPE_CHECKING:
    from django.forms import Form

    from servicenav.organisation.models import User


def staff_user(request: HttpRequest) -> User:
    return cast("User", request.user)


def _error(request: HttpRequest, form: Form, error: ValidationError) -> None:
    form.add_error(None, error)
    messages.error(request, f.first_error(error))


@login_required
@never_cache
def home(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    require_network(user)
    context = {
        "members": selectors.members(),
        "directive": selectors.current_directive(),
        "can_edit_directive": can_edit_directive(user),
        "meetings": selectors.meetings()[:20],
        "open_items": selectors.open_action_items(),
        "reports": selectors.reports(),
        "member_form": f.MemberAddForm(),
        "report_form": f.ReportCreateForm(),
    }
    return render(request, "network/home.html", context)


def _member(request: HttpRequest) -> Member:
    raw = request.POST.get("member", "")
    member = Member.objects.filter(pk=int(raw)).first() if raw.isdigit() else None
    if member is None:
        raise Http404
    return member


@login_required
@require_POST
def member_action(request: HttpRequest, action: str) -> HttpResponse:
    user = staff_user(request)
    require_network(user)
    if action not in ("add", "chair", "remove"):
        raise Http404
    try:
        if action == "add":
            form = f.MemberAddForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Choose a person who is not yet a member."))
                return redirect("network:home")
            data = form.cleaned_data
            services.member_add(user=data["user"], chair=data["chair"], by=user)
        elif action == "chair":
            services.member_make_chair(member=_member(request), by=user)
        else:
            services.member_remove(member=_member(request), by=user)
    except ValidationError as error:
        messages.error(request, f.first_error(error))
        return redirect("network:home")
    messages.success(request, _("The members are saved."))
    return redirect("network:home")


@login_required
@never_cache
def directive(request: HttpRequest, number: int | None = None) -> HttpResponse:
    user = staff_user(request)
    require_network(user)
    versions = DirectiveVersion.objects.order_by("-number")
    shown = versions.filter(number=number).first() if number else versions.first()
    if number and shown is None:
        raise Http404
    context = {"versions": versions, "shown": shown, "can_edit": can_edit_directive(user)}
    return render(request, "network/directive.html", context)


@login_required
@never_cache
def directive_new(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    require_network(user)
    if not can_edit_directive(user):
        raise PermissionDenied
    current = selectors.current_directive()
    form = f.DirectiveForm(request.POST or None, initial={"text": current.text if current else ""})
    if request.method == "POST" and form.is_valid():
        try:
            version = services.directive_adopt(by=user, **form.cleaned_data)
        except ValidationError as error:
            _error(request, form, error)
        else:
            messages.success(request, _("The new version of the directive is saved."))
            return redirect("network:directive-version", number=version.number)
    status = 400 if request.method == "POST" else 200
    return render(request, "network/directive_form.html", {"form": form}, status=status)


@login_required
@never_cache
def meeting_create(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    require_network(user)
    form = f.MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        meeting = services.meeting_create(by=user, **form.cleaned_data)
        return redirect("network:meeting", pk=meeting.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "network/meeting_form.html", {"form": form}, status=status)


MEETING_FORMS = {"minutes": f.MinutesForm, "decision": f.DecisionForm, "item": f.ActionItemForm}


@login_required
@never_cache
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    meeting = get_meeting_for_user(user, pk)
    bound = request.POST.get("form") if request.method == "POST" else None
    if bound is not None and bound not in MEETING_FORMS:
        return HttpResponse(_("Unknown form."), status=400)
    forms = {
        name: cls(request.POST if name == bound else None, prefix=name)
        for name, cls in MEETING_FORMS.items()
    }
    forms["minutes"].initial = {"agenda": meeting.agenda, "minutes": meeting.minutes}
    if bound is not None and forms[bound].is_valid():
        data = forms[bound].cleaned_data
        try:
            if bound == "minutes":
                services.meeting_update(meeting=meeting, by=user, **data)
            elif bound == "decision":
                services.decision_add(meeting=meeting, by=user, **data)
            else:
                services.action_item_add(meeting=meeting, by=user, **data)
        except ValidationError as error:
            _error(request, forms[bound], error)
        else:
            messages.success(request, _("Saved."))
            return redirect("network:meeting", pk=meeting.pk)
    context = {
        "meeting": meeting,
        "forms": forms,
        "items": meeting.action_items.select_related("owner"),
    }
    return render(request, "network/meeting.html", context, status=400 if bound else 200)


@login_required
@require_POST
def action_item_status(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    item = get_action_item_for_user(user, pk)
    status = request.POST.get("status", "")
    if status not in ActionItem.Status.values:
        return HttpResponse(_("Unknown status."), status=400)
    services.action_item_set_status(item=item, status=status, by=user)
    return redirect("network:meeting", pk=item.meeting_id)
