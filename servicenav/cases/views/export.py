"""Registerutdrag: everything the cases hold about one e-mail address, for staff answering
a person's request to see their personal data. Only cases the member of staff may see
are included, so a handler of one unit never sees another unit's cases."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from servicenav.cases.access import HANDLERS
from servicenav.cases.models import Case, CaseEvent
from servicenav.core.audit import audit_record
from servicenav.core.models import AuditEntry
from servicenav.organisation.models import User

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

TEMPLATE = "cases/export/register_extract.html"
MESSAGE_TYPES = (CaseEvent.Type.CITIZEN_MESSAGE, CaseEvent.Type.REPLY)


class RegisterExtractForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("The address the person gave when they sent their feedback."),
    )


@dataclass(frozen=True)
class ExtractEntry:
    case_pk: int
    data: dict[str, Any]


def may_extract(user: User | AnonymousUser) -> bool:
    """Those who handle cases somewhere; the cases included are still only those they see."""
    if not isinstance(user, User) or not user.is_active:
        return False
    return user.is_superuser or bool(user.paths_with(HANDLERS))


def _entry(case: Case) -> ExtractEntry:
    data = {
        "reference": case.reference,
        "received": timezone.localtime(case.received_at),
        "kind": case.get_kind_display(),
        "channel": case.get_channel_display(),
        "unit": case.unit.name if case.unit else "",
        "status": case.get_status_display(),
        "outcome": case.get_outcome_display(),
        "text": case.text,
        "contact": {
            "name": case.reporter_name,
            "email": case.reporter_email,
            "phone": case.reporter_phone,
            "wants_answer": case.wants_answer,
        },
        "place": {"address": case.place, "latitude": case.latitude, "longitude": case.longitude},
        "messages": [
            {
                "at": timezone.localtime(event.at),
                "type": event.get_type_display(),
                "text": event.text,
            }
            for event in case.messages  # type: ignore[attr-defined]
        ],
        "attachments": [
            {"name": f"{a.token}{a.extension}", "content_type": a.content_type, "size": a.size}
            for a in case.attachments.all()
        ],
    }
    return ExtractEntry(case_pk=case.pk, data=data)


def register_extract_for(user: User, email: str) -> list[ExtractEntry]:
    """The cases `user` may see whose reporter gave `email` (in any letter case)."""
    messages = CaseEvent.objects.filter(type__in=MESSAGE_TYPES, is_public=True)
    cases = (
        Case.objects.visible_to(user)
        .filter(reporter_email__iexact=email)
        .select_related("unit")
        .prefetch_related(Prefetch("events", messages, to_attr="messages"), "attachments")
        .order_by("received_at", "pk")
    )
    return [_entry(case) for case in cases]


@never_cache
@login_required
def register_extract(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not isinstance(user, User) or not may_extract(user):
        raise PermissionDenied
    form = RegisterExtractForm(request.POST or None)
    if not form.is_valid():
        return render(request, TEMPLATE, {"form": form})
    email = form.cleaned_data["email"]
    entries = register_extract_for(user, email)
    as_json = request.GET.get("format") == "json"
    # The log says that an extract was made and how big it was, not whose it was.
    audit_record(
        actor=user,
        action=AuditEntry.Action.UPDATE,
        obj=user,
        changes={
            "register_extract": {"from": None, "to": len(entries)},
            "format": {"from": None, "to": "json" if as_json else "html"},
        },
    )
    if as_json:
        payload = {
            "email": email,
            "created": timezone.localtime(),
            "cases": [entry.data for entry in entries],
        }
        response = JsonResponse(payload, json_dumps_params={"ensure_ascii": False, "indent": 2})
        response["Content-Disposition"] = 'attachment; filename="registerutdrag.json"'
        return response
    context = {"form": form, "email": email, "entries": entries, "searched": True}
    return render(request, TEMPLATE, context)
