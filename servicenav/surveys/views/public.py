"""The respondent's side of surveys, no login: answer a round through its link, enter an
invitation code, and the thank-you page.

A round is answered at `/enkater/<link token>/`. With an open link, anyone who has the link
may answer; otherwise an invitation code is needed. It is typed on `/enkater/kod/` (or
arrives there from a link in an e-mail as `?kod=`, which only fills in the form: a GET never
accepts a code) and is kept in the session until the answers are sent; then
`services.response_submit` deletes it in the same transaction that stores the answers,
with nothing that links the two.

Half-filled answers ("Save and continue later", and whatever was sent when the form had an
error) live only in the session, by round, so they resume on the same device and never
reach the survey's tables. After sending, the session remembers that the round was
answered and shows "you have already answered" instead of a new form. That is a courtesy,
not a guarantee: another browser or cleared cookies make a new session, so an open link can
be answered more than once; only invitation codes guarantee one answer per person. A new
valid code in the same browser (a shared family computer) opens the form again.
"""

from __future__ import annotations

import dataclasses
import math
import re
import secrets
from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from servicenav.cases.throttle import throttle_count, throttle_exceeded
from servicenav.surveys.answers import DONT_KNOW_VALUE, MAX_TEXT
from servicenav.surveys.forms import ResponseForm, field_name
from servicenav.surveys.models import Invitation, Question, Round
from servicenav.surveys.services import hash_code, invitation_valid, response_submit

if TYPE_CHECKING:
    from collections.abc import Sequence

    from django.forms import BoundField
    from django.http import HttpRequest, HttpResponse, QueryDict

SESSION_DRAFTS = "surveys_drafts"  # {round id: {field name: [values]}}
SESSION_CODES = "surveys_codes"  # {round id: invitation code}
SESSION_ANSWERED = "surveys_answered"  # [round id, …]
MAX_REMEMBERED = 20  # rounds per session, so a session cannot grow without end
SAVE = "save"
# A random token in each form: a double click sends it twice, and the second is taken as
# the first (kept in the cache for an hour; it says nothing about who answered what).
SENDING = "sending"
SENDING_SECONDS = 3600
CODE_SCOPE = "survey-code"
# Wrong codes an address may try per hour. Someone mistyping needs a few; guessing a
# ten-character code needs about 10^15.
CODE_FAILURES_PER_HOUR = 20
# One message for unknown and used codes alike, so that nobody can probe which exist.
CODE_NOT_VALID = _("The code is not valid or has already been used.")
# Rough reading and answering times, for the length the page promises.
SECONDS_PER_CHOICE = 15
SECONDS_PER_TEXT = 60
# What `models.new_link_token` makes. Anything else is no round's; checked before the
# database sees it (PostgreSQL refuses a NUL byte in a query with an error).
LINK_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,24}")


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Your code"),
        max_length=40,
        help_text=_("It is in the letter or e-mail you got."),
        widget=forms.TextInput(
            {"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        ),
        error_messages={"required": _("Write your code.")},
    )


@dataclasses.dataclass
class Item:
    """One question as the page shows it: the question, its field, and where the error
    summary links to (the first radio or checkbox of a group, or the text box)."""

    question: Question
    field: BoundField
    anchor: str
    top: str = ""  # a scale's highest value, to put the high end's words next to it


@dataclasses.dataclass
class Section:
    heading: str
    items: list[Item] = dataclasses.field(default_factory=list)


# --- The session: codes, drafts and answered rounds, by round ------------------------


def _remembered(request: HttpRequest, key: str) -> dict[str, Any]:
    return dict(request.session.get(key) or {})


def _remember(request: HttpRequest, key: str, round: Round, value: Any) -> None:
    stored = _remembered(request, key)
    stored.pop(str(round.pk), None)
    stored[str(round.pk)] = value
    request.session[key] = dict(list(stored.items())[-MAX_REMEMBERED:])


def _forget(request: HttpRequest, key: str, round: Round) -> None:
    stored = _remembered(request, key)
    if stored.pop(str(round.pk), None) is not None:
        request.session[key] = stored


def _answered(request: HttpRequest) -> list[int]:
    return list(request.session.get(SESSION_ANSWERED) or [])


def _mark_answered(request: HttpRequest, round: Round) -> None:
    _forget(request, SESSION_DRAFTS, round)
    _forget(request, SESSION_CODES, round)
    answered = [pk for pk in _answered(request) if pk != round.pk] + [round.pk]
    request.session[SESSION_ANSWERED] = answered[-MAX_REMEMBERED:]


def _draft(questions: Sequence[Question], data: QueryDict) -> dict[str, list[str]]:
    """What the respondent has filled in so far, trimmed to the round's questions."""
    draft = {}
    for question in questions:
        name = field_name(question)
        most = len(question.options) if question.kind == Question.Kind.MULTIPLE else 1
        values = [value[:MAX_TEXT] for value in data.getlist(name) if value.strip()][:most]
        if values:
            draft[name] = values
    return draft


def _initial(questions: Sequence[Question], draft: dict[str, list[str]]) -> dict[str, Any]:
    initial: dict[str, Any] = {}
    for question in questions:
        values = draft.get(field_name(question))
        if values:
            multiple = question.kind == Question.Kind.MULTIPLE
            initial[field_name(question)] = values if multiple else values[0]
    return initial


# --- The page ------------------------------------------------------------------------


def _round_or_404(token: str) -> Round:
    if not LINK_TOKEN.fullmatch(token):
        raise Http404
    return get_object_or_404(Round.objects.select_related("survey"), link_token=token)


def _questions(round: Round) -> list[Question]:
    places = round.round_questions.select_related("question__area").order_by("position")
    return [place.question for place in places]


def estimated_minutes(questions: Sequence[Question]) -> int:
    seconds = sum(
        SECONDS_PER_TEXT if question.kind == Question.Kind.TEXT else SECONDS_PER_CHOICE
        for question in questions
    )
    return max(1, math.ceil(seconds / 60))


def _item(form: ResponseForm, question: Question) -> Item:
    bound = form[field_name(question)]
    grouped = question.kind != Question.Kind.TEXT
    anchor = f"{bound.auto_id}_0" if grouped else bound.auto_id
    top = str(question.scale_max or "") if question.is_scale else ""
    return Item(question=question, field=bound, anchor=anchor, top=top)


def _sections(form: ResponseForm) -> tuple[list[Section], Section]:
    """Questions by area, areas in the order their first question comes; background
    questions apart, to go last under their own heading."""
    sections: dict[int | None, Section] = {}
    background = Section(heading=str(_("About you")))
    for question in form.questions:
        item = _item(form, question)
        if question.is_background:
            background.items.append(item)
            continue
        area = question.area
        section = sections.setdefault(question.area_id, Section(area.name if area else ""))
        section.items.append(item)
    return list(sections.values()), background


def _sending_token(data: QueryDict | None = None) -> str:
    posted = data.get(SENDING, "") if data is not None else ""
    return posted if posted.isascii() and 20 <= len(posted) <= 40 else secrets.token_urlsafe(24)


def _sending_key(token: str) -> str:
    return f"servicenav:survey-sending:{token}"


def _first_sending(token: str) -> bool:
    """False when a form with this token has already been sent (a double click)."""
    return cache.add(_sending_key(token), 1, timeout=SENDING_SECONDS)


def _render_form(
    request: HttpRequest, round: Round, form: ResponseForm, sending: str = ""
) -> HttpResponse:
    sections, background = _sections(form)
    context = {
        "sending": sending or _sending_token(),
        "round": round,
        "survey": round.survey,
        "form": form,
        "sections": sections,
        "background": background,
        "items": [item for section in [*sections, background] for item in section.items],
        "minutes": estimated_minutes(form.questions),
        "dont_know": DONT_KNOW_VALUE,
        "min_answers": settings.SERVICENAV_SURVEY_MIN_ANSWERS,
    }
    return render(request, "surveys/public/answer.html", context)


@never_cache
def answer(request: HttpRequest, token: str) -> HttpResponse:
    round = _round_or_404(token)
    if not round.is_open():
        not_yet = timezone.localdate() < round.opens_on
        return render(request, "surveys/public/closed.html", {"round": round, "not_yet": not_yet})
    code = str(_remembered(request, SESSION_CODES).get(str(round.pk), ""))
    if code and not invitation_valid(round, code):
        # Used since it was typed here: by a double click, or on another device.
        _forget(request, SESSION_CODES, round)
        context = {"round": round, "code_used": True}
        return render(request, "surveys/public/answered.html", context)
    if not code and round.pk in _answered(request):
        return render(request, "surveys/public/answered.html", {"round": round})
    if not code and not round.open_link:
        return redirect(f"{reverse('surveys:code')}?{urlencode({'enkat': token})}")
    questions = _questions(round)
    if request.method == "POST":
        return _answer_posted(request, round, questions, code)
    draft = _remembered(request, SESSION_DRAFTS).get(str(round.pk)) or {}
    form = ResponseForm(questions, initial=_initial(questions, draft))
    return _render_form(request, round, form)


def _answer_posted(
    request: HttpRequest, round: Round, questions: list[Question], code: str
) -> HttpResponse:
    draft = _draft(questions, request.POST)
    if request.POST.get("action") == SAVE:
        _remember(request, SESSION_DRAFTS, round, draft)
        messages.success(
            request,
            _(
                "Your answers are saved in this browser. Come back to this page on this "
                "device to go on. They are not sent until you choose “Send answers”."
            ),
        )
        return redirect("surveys:answer", round.link_token)
    form, sending = ResponseForm(questions, request.POST), _sending_token(request.POST)
    if form.is_valid():
        try:
            if _first_sending(sending):
                response_submit(round=round, answers=form.answers(), code=code, questions=questions)
        except ValidationError as error:
            cache.delete(_sending_key(sending))
            form.add_error(None, error)
        else:
            _mark_answered(request, round)
            return redirect("surveys:thanks", round.link_token)
    _remember(request, SESSION_DRAFTS, round, draft)
    return _render_form(request, round, form, sending)


def thanks(request: HttpRequest, token: str) -> HttpResponse:
    round = _round_or_404(token)
    return render(request, "surveys/public/thanks.html", {"round": round})


# --- Invitation codes ----------------------------------------------------------------


def _round_of(code: str) -> Round | None:
    """The round an unused invitation code belongs to; None for unknown and used codes."""
    invitation = (
        Invitation.objects.select_related("round").filter(code_hash=hash_code(code)).first()
    )
    if invitation is None or not invitation_valid(invitation.round, code):
        return None
    return invitation.round


@never_cache
def enter_code(request: HttpRequest) -> HttpResponse:
    token = request.GET.get("enkat", "")[:24]
    rounds = Round.objects.select_related("survey")
    asked_by = rounds.filter(link_token=token).first() if LINK_TOKEN.fullmatch(token) else None
    context: dict[str, Any] = {"asked_by": asked_by, "token": token if asked_by else ""}
    if request.method != "POST":
        code = request.GET.get("kod", "").strip()[:40]
        context |= {"form": CodeForm(initial={"code": code}), "from_link": bool(code)}
        return render(request, "surveys/public/code.html", context)
    if throttle_exceeded(request, scope=CODE_SCOPE, limit=CODE_FAILURES_PER_HOUR):
        return render(request, "cases/public/throttled.html", status=429)
    form = CodeForm(request.POST)
    if form.is_valid():
        code = form.cleaned_data["code"]
        found = _round_of(code)
        if found is not None:
            _remember(request, SESSION_CODES, found, code)
            return redirect("surveys:answer", found.link_token)
        throttle_count(request, scope=CODE_SCOPE)
        form.add_error("code", CODE_NOT_VALID)
    return render(request, "surveys/public/code.html", context | {"form": form})
