"""The citizen's side of feedback, no login: give feedback, get a receipt, find the case
again, follow it, answer a reply and reopen a closed case.

A case page needs proof: the follow-up code (`?kod=`), the signed link from the e-mail
(`?l=`), or one of those earlier in the same session. A proof in the address becomes a
grant in the session and the page redirects to its clean address, so the code does not
stay in the browser's history or in a link the person copies. Contact details are never
shown: whoever has the link may be someone else. Pages with a case or a code on them are
never cached.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from servicenav.cases.access import get_case_for_citizen
from servicenav.cases.deadlines import deadlines_for
from servicenav.cases.forms_public import FeedbackForm, FollowForm, MessageForm, ReopenForm
from servicenav.cases.models import Case, CaseEvent, Outcome, Status
from servicenav.cases.services import case_reopen, case_submit, citizen_message, reopen_window_open
from servicenav.cases.throttle import (
    FOLLOW,
    FOLLOW_FAILURES_PER_HOUR,
    SUBMIT,
    throttle_count,
    throttle_exceeded,
)
from servicenav.declarations.selectors import public_commitment

if TYPE_CHECKING:
    from datetime import datetime

    from django.forms import Form
    from django.http import HttpRequest, HttpResponse

SESSION_GRANTS = "cases_granted"
SESSION_RECEIPT = "cases_receipt"
MAX_GRANTS = 20
NOT_FOUND = _(
    "We could not find a case with that reference and follow-up code. Check both and try again."
)
# The outcomes whose note is written for the citizen (the reason, the authority).
OUTCOMES_WITH_PUBLIC_NOTE = {Outcome.NO_ACTION, Outcome.REFERRED}


def _grants(request: HttpRequest) -> list[str]:
    return list(request.session.get(SESSION_GRANTS, []))


def _grant(request: HttpRequest, reference: str) -> None:
    grants = [granted for granted in _grants(request) if granted != reference] + [reference]
    request.session[SESSION_GRANTS] = grants[-MAX_GRANTS:]


def _granted_case(request: HttpRequest, reference: str) -> Case | None:
    return get_case_for_citizen(reference, granted=_grants(request))


def _to_follow(reference: str) -> HttpResponse:
    return redirect(f"{reverse('cases:follow')}?{urlencode({'referens': reference[:20]})}")


def _too_many(request: HttpRequest) -> HttpResponse:
    return render(request, "cases/public/throttled.html", status=429)


def _language() -> str:
    language = get_language()
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def submit(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        limit = settings.SERVICENAV_SUBMISSIONS_PER_HOUR
        if throttle_exceeded(request, scope=SUBMIT, limit=limit):
            return _too_many(request)
        form = FeedbackForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                _register(request, form)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return redirect("cases:receipt")
        elif form.is_spam:
            throttle_count(request, scope=SUBMIT)
    else:
        promise = public_commitment(request.GET.get("lofte", ""))
        form = FeedbackForm(initial={"submission_token": uuid.uuid4()}, promise=promise)
        # A session from the start, so that a double click finds the first click's receipt.
        request.session.setdefault(SESSION_GRANTS, [])
    context = {"form": form, "retention_months": settings.SERVICENAV_RETENTION_MONTHS}
    return render(request, "cases/public/submit.html", context)


@transaction.atomic
def _register(request: HttpRequest, form: FeedbackForm) -> None:
    """Store the case and, in the same transaction, the session's receipt for it. Were the
    session saved after the commit, a server dying in between would leave the previous
    case's receipt in it, and the citizen sending the form again (which finds this case,
    but cannot show its code twice) would be shown that other case. A repeated send leaves
    the session as the first send wrote it."""
    case, code = case_submit(**form.case_fields(), language=_language())
    if code:
        throttle_count(request, scope=SUBMIT)
        request.session[SESSION_RECEIPT] = {"reference": case.reference, "code": code}
        _grant(request, case.reference)
        request.session.save()


@never_cache
def receipt(request: HttpRequest) -> HttpResponse:
    stored = request.session.get(SESSION_RECEIPT) or {}
    case = _granted_case(request, stored["reference"]) if stored else None
    if case is None:
        return render(request, "cases/public/no_receipt.html")
    context = {
        "case": case,
        "code": stored["code"],
        "acknowledge_days": deadlines_for(case.unit, case.kind).acknowledge_days,
    }
    return render(request, "cases/public/receipt.html", context)


def follow(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        form = FollowForm(initial={"reference": request.GET.get("referens", "")[:20]})
        return render(request, "cases/public/follow.html", {"form": form})
    if throttle_exceeded(request, scope=FOLLOW, limit=FOLLOW_FAILURES_PER_HOUR):
        return _too_many(request)
    form = FollowForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        case = get_case_for_citizen(data["reference"], code=data["code"])
        if case is not None:
            _grant(request, case.reference)
            return redirect("cases:public-case", case.reference)
        throttle_count(request, scope=FOLLOW)
        form.add_error(None, NOT_FOUND)
    return render(request, "cases/public/follow.html", {"form": form})


@never_cache
def case_page(request: HttpRequest, reference: str) -> HttpResponse:
    code, link = request.GET.get("kod", ""), request.GET.get("l", "")
    if code or link:
        return _prove(request, reference, code=code, link=link)
    case = _granted_case(request, reference)
    if case is None:
        return _to_follow(reference)
    return _render_case(request, case)


def _prove(request: HttpRequest, reference: str, *, code: str, link: str) -> HttpResponse:
    """Check a code or link from the address; grant the session and clean the address."""
    if throttle_exceeded(request, scope=FOLLOW, limit=FOLLOW_FAILURES_PER_HOUR):
        return _too_many(request)
    case = get_case_for_citizen(reference, code=code, link=link)
    if case is None:
        throttle_count(request, scope=FOLLOW)
        form = FollowForm(initial={"reference": reference[:20]})
        context = {"form": form, "error": NOT_FOUND}
        return render(request, "cases/public/follow.html", context, status=404)
    _grant(request, case.reference)
    return redirect("cases:public-case", case.reference)


@never_cache
@require_POST
def message(request: HttpRequest, reference: str) -> HttpResponse:
    case = _granted_case(request, reference)
    if case is None:
        return _to_follow(reference)
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            citizen_message(case=case, text=form.cleaned_data["text"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you. Your message has been added to the case."))
            return redirect("cases:public-case", case.reference)
    return _render_case(request, case, message_form=form)


@never_cache
@require_POST
def reopen(request: HttpRequest, reference: str) -> HttpResponse:
    case = _granted_case(request, reference)
    if case is None:
        return _to_follow(reference)
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            case_reopen(case=case, by=None, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The case is open again. We will get back to you."))
            return redirect("cases:public-case", case.reference)
    return _render_case(request, case, reopen_form=form)


def _render_case(
    request: HttpRequest,
    case: Case,
    *,
    message_form: Form | None = None,
    reopen_form: Form | None = None,
) -> HttpResponse:
    if message_form is None and not case.is_closed:
        message_form = MessageForm()
    if reopen_form is None and reopen_window_open(case):
        reopen_form = ReopenForm()
    context = {
        "case": case,
        "events": public_timeline(case),
        "attachment_count": case.attachments.count(),
        "message_form": message_form,
        "reopen_form": reopen_form,
        "reopen_days": settings.SERVICENAV_REOPEN_DAYS,
    }
    return render(request, "cases/public/case.html", context)


@dataclass(frozen=True)
class PublicEvent:
    at: datetime
    title: str
    text: str
    from_citizen: bool = False


def public_timeline(case: Case) -> list[PublicEvent]:
    """The case's public events as the citizen reads them. A staff reply is signed with
    the handler's first name only ("Case handler" without one); internal notes and every
    other non-public event stay out, and so does the text of any event type not named here."""
    events = case.events.filter(is_public=True).select_related("actor")
    return [_public_event(event) for event in events]


def _public_event(event: CaseEvent) -> PublicEvent:
    Type = CaseEvent.Type
    data = event.data or {}
    if event.type == Type.CREATED:
        return PublicEvent(event.at, str(_("Feedback received")), "")
    if event.type == Type.STATUS:
        status = (data.get("status") or {}).get("to", "")
        label = Status(status).label if status in Status.values else status
        return PublicEvent(event.at, str(_("Status: %(status)s") % {"status": label}), event.text)
    if event.type == Type.REPLY:
        name = event.actor.first_name if event.actor and event.actor.first_name else ""
        title = _("Reply from %(name)s") % {"name": name or _("Case handler")}
        return PublicEvent(event.at, str(title), event.text)
    if event.type == Type.CITIZEN_MESSAGE:
        return PublicEvent(event.at, str(_("Your message")), event.text, from_citizen=True)
    if event.type == Type.CLOSED:
        outcome = data.get("outcome", "")
        label = Outcome(outcome).label if outcome in Outcome.values else outcome
        text = event.text if outcome in OUTCOMES_WITH_PUBLIC_NOTE else ""
        return PublicEvent(event.at, str(_("Closed: %(outcome)s") % {"outcome": label}), text)
    if event.type == Type.REOPENED:
        by_citizen = event.actor is None
        return PublicEvent(event.at, str(_("Reopened")), event.text, from_citizen=by_citizen)
    return PublicEvent(event.at, str(event.get_type_display()), "")


PUBLISHED_PAGE_SIZE = 20


def published(request: HttpRequest) -> HttpResponse:
    """Feedback and our answers, as staff summarised and published them."""
    page = Paginator(Case.objects.published(), PUBLISHED_PAGE_SIZE).get_page(
        request.GET.get("sida")
    )
    return render(request, "cases/public/published.html", {"page": page})
