"""The staff side of surveys (the analysis page is in `views.analysis`): the list, a
survey with its rounds, a round with its questions, invitations and conclusions, paper
answers, free texts, the raw-answer export and focus groups.

Anyone with a role for the survey's unit reads these pages; those who run surveys
(`access.RUNNERS`) act on them. Every page goes through `access.get_survey_for_user`
(404 for what the person may not read, 403 for what they may read but not change) and
every write through `surveys.services`. A page with several forms posts them back to
itself with an `action` (and the `target` it concerns); a refused form is shown again
with its errors in place."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from itertools import groupby
from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from servicenav.organisation.models import Unit, User
from servicenav.surveys import exports, services
from servicenav.surveys import staff_forms as f
from servicenav.surveys.access import (
    can_run,
    get_round_for_user,
    get_survey_for_user,
    surveys_visible_to,
)
from servicenav.surveys.forms import ResponseForm, field_name
from servicenav.surveys.models import (
    Conclusion,
    FocusGroup,
    Invitation,
    Question,
    Quote,
    Response,
    Round,
    RoundQuestion,
    Survey,
    TextAnswer,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping
    from datetime import date

    from django.db.models import QuerySet
    from django.forms import BaseForm as Form
    from django.utils.functional import Promise

TEXTS_PER_PAGE = 50


def staff_user(request: HttpRequest) -> User:
    # Every view here is behind login_required, so the user is a staff account.
    return cast("User", request.user)


# Rounds and their counts


def with_counts(rounds: QuerySet[Round]) -> QuerySet[Round]:
    """Rounds with `response_count` and `used_count` (invitations used: those sent minus the
    codes still unused), one query."""

    def count(model: type[Response | Invitation], **filters: Any) -> Coalesce:
        rows = model.objects.filter(round=OuterRef("pk"), **filters).order_by().values("round")
        return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")), Value(0))

    unused = count(Invitation)
    return rounds.annotate(
        response_count=count(Response), used_count=F("invitations_sent") - unused
    )


@dataclass
class RoundRow:
    round: Round
    responses: int
    used: int
    rate: float | None
    status: str


def round_status(round: Round, today: date) -> str:
    if today < round.opens_on:
        return str(_("Not open yet"))
    return str(_("Open")) if round.is_open(today) else str(_("Closed"))


def round_rows(rounds: Iterable[Round]) -> list[RoundRow]:
    today = timezone.localdate()
    rows = []
    for round in rounds:
        responses, used = getattr(round, "response_count", 0), getattr(round, "used_count", 0)
        rate = 100 * used / round.invitations_sent if round.invitations_sent else None
        rows.append(RoundRow(round, responses, used, rate, round_status(round, today)))
    return rows


def newest_first(rounds: QuerySet[Round]) -> QuerySet[Round]:
    return rounds.order_by("-opens_on", "-id")


def previous_round(round: Round) -> Round | None:
    earlier = Q(opens_on__lt=round.opens_on) | Q(opens_on=round.opens_on, id__lt=round.pk)
    return newest_first(Round.objects.filter(earlier, survey_id=round.survey_id)).first()


def current_questions(survey: Survey) -> list[Question]:
    """The newest round's questions, or the survey's before its first round."""
    newest = newest_first(survey.rounds.all()).first()
    if newest is None:
        return list(survey.questions.select_related("area"))
    return [rq.question for rq in newest.round_questions.select_related("question__area")]


# The list and a survey


@login_required
@never_cache
def survey_list(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    rounds = Prefetch("rounds", queryset=newest_first(with_counts(Round.objects.all())))
    surveys = surveys_visible_to(user).select_related("unit").prefetch_related(rounds)
    groups = [
        (unit, [(survey, round_rows(survey.rounds.all())) for survey in group])
        for unit, group in groupby(surveys, lambda survey: survey.unit)
    ]
    return render(request, "surveys/staff/list.html", {"groups": groups})


@login_required
@never_cache
def survey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    survey = get_survey_for_user(user, pk, write=request.method == "POST")
    form = f.RoundForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            new = services.round_create(survey=survey, by=user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, str(_("The round is made with the questions of the last.")))
            return redirect("surveys:staff-round", pk=new.pk)
    questions = current_questions(survey)
    context = {
        "survey": survey,
        "areas": [
            (area, [q for q in questions if q.area_id == area.pk]) for area in survey.areas.all()
        ],
        "loose_questions": [q for q in questions if q.area_id is None],
        "rounds": round_rows(newest_first(with_counts(survey.rounds.all()))),
        "focus_groups": survey.focus_groups.select_related("unit"),
        "can_run": can_run(user, survey.unit),
        "form": form,
    }
    return render(request, "surveys/staff/survey.html", context, status=400 if form.errors else 200)


# A round


@dataclass
class Failed:
    """A form the services or validation refused, to show again where it was."""

    action: str
    target: str
    form: Form

    def replaces(self, action: str, target: object = "") -> bool:
        return (self.action, self.target) == (action, str(target))


def _bound_or(failed: Failed | None, action: str, target: object, make: Callable[[], Form]) -> Form:
    return failed.form if failed and failed.replaces(action, target) else make()


def _respondent_url(name: str, **kwargs: Any) -> str:
    # Respondents get the Swedish address (the default language); the page offers English.
    with translation.override(settings.LANGUAGE_CODE):
        return settings.SERVICENAV_SITE_URL + reverse(name, kwargs=kwargs)


@dataclass
class QuestionRow:
    place: RoundQuestion
    reword: Form | None


@dataclass
class ConclusionRow:
    conclusion: Conclusion
    outcome: Form | None


@dataclass
class RoundPage:
    round: Round
    runner: bool
    answered: bool
    questions: list[QuestionRow] = field(default_factory=list)
    conclusions: list[ConclusionRow] = field(default_factory=list)
    previous: Round | None = None
    previous_conclusions: list[ConclusionRow] = field(default_factory=list)


def _outcome_form(conclusion: Conclusion) -> Form:
    initial = {"outcome": conclusion.outcome}
    return f.OutcomeForm(initial=initial, prefix=f"outcome-{conclusion.pk}")


def _reword_form(place: RoundQuestion) -> Form:
    return f.RewordForm(question=place.question, prefix=f"reword-{place.pk}")


def _conclusion_rows(
    conclusions: Iterable[Conclusion], runner: bool, failed: Failed | None
) -> list[ConclusionRow]:
    return [
        ConclusionRow(
            c, _bound_or(failed, "outcome", c.pk, partial(_outcome_form, c)) if runner else None
        )
        for c in conclusions
    ]


def _round_page(round: Round, user: User, failed: Failed | None) -> RoundPage:
    runner = can_run(user, round.survey.unit)
    page = RoundPage(round, runner, answered=round.responses.exists())
    for place in round.round_questions.select_related("question__area"):
        reword = None
        if runner and not page.answered:
            reword = _bound_or(failed, "reword", place.pk, partial(_reword_form, place))
        page.questions.append(QuestionRow(place, reword))
    page.conclusions = _conclusion_rows(round.conclusions.all(), runner, failed)
    page.previous = previous_round(round)
    if page.previous is not None:
        page.previous_conclusions = _conclusion_rows(
            page.previous.conclusions.all(), runner, failed
        )
    return page


def _render_round(request: HttpRequest, round: Round, failed: Failed | None = None) -> HttpResponse:
    user = staff_user(request)
    counted = with_counts(Round.objects.filter(pk=round.pk)).get()
    by_channel = dict(round.responses.order_by().values_list("channel").annotate(n=Count("pk")))
    context = {
        "survey": round.survey,
        "page": _round_page(round, user, failed),
        "row": round_rows([counted])[0],
        "web_count": by_channel.get(Response.Channel.WEB, 0),
        "paper_count": by_channel.get(Response.Channel.PAPER, 0),
        "open_link": _respondent_url("surveys:answer", token=round.link_token),
        "conclusion_form": _bound_or(
            failed, "conclude", "", lambda: f.ConclusionForm(prefix="conclude")
        ),
        "invitation_form": _bound_or(
            failed, "invitations", "", lambda: f.InvitationForm(prefix="invitations")
        ),
        "paper_until": round.closes_on + timedelta(days=services.PAPER_GRACE_DAYS),
        "failed": failed,
    }
    return render(request, "surveys/staff/round.html", context, status=400 if failed else 200)


def _place(round: Round, target: str) -> RoundQuestion:
    place = round.round_questions.select_related("question").filter(pk=_id(target)).first()
    if place is None:
        raise Http404
    return place


def _conclusion(round: Round, target: str) -> Conclusion:
    """A conclusion of this round or an earlier one of the same survey."""
    found = Conclusion.objects.filter(pk=_id(target), round__survey_id=round.survey_id)
    conclusion = found.select_related("round__survey__unit").first()
    if conclusion is None:
        raise Http404
    return conclusion


def _id(target: str) -> int:
    if not target.isdigit():
        raise Http404
    return int(target)


def _attempt(form: Form, call: Callable[[], object]) -> Form:
    """Call the service when the form is valid; its refusal becomes the form's error."""
    if form.is_valid():
        try:
            call()
        except ValidationError as error:
            form.add_error(None, error)
    return form


def _publish(round: Round, user: User, data: Any, target: str) -> Form:
    place = _place(round, target)
    form = f.PublishForm(data)
    return _attempt(
        form,
        lambda: services.round_question_publish(
            round_question=place, public=form.cleaned_data["public"], by=user
        ),
    )


def _reword(round: Round, user: User, data: Any, target: str) -> Form:
    place = _place(round, target)
    form = f.RewordForm(data, question=place.question, prefix=f"reword-{place.pk}")
    return _attempt(
        form,
        lambda: services.round_question_replace(
            round=round, question=place.question, by=user, **form.changes()
        ),
    )


def _conclude(round: Round, user: User, data: Any, target: str) -> Form:
    form = f.ConclusionForm(data, prefix="conclude")
    return _attempt(
        form, lambda: services.conclusion_add(round=round, by=user, **form.cleaned_data)
    )


def _outcome(round: Round, user: User, data: Any, target: str) -> Form:
    conclusion = _conclusion(round, target)
    form = f.OutcomeForm(data, prefix=f"outcome-{conclusion.pk}")
    return _attempt(
        form,
        lambda: services.conclusion_update_outcome(
            conclusion=conclusion, outcome=form.cleaned_data["outcome"], by=user
        ),
    )


Handler = tuple["Callable[[Round, User, Any, str], Form]", "Promise"]
ROUND_ACTIONS: dict[str, Handler] = {
    "publish": (_publish, _("The question's place on the public results site is saved.")),
    "reword": (_reword, _("The question is replaced in this round; earlier rounds keep theirs.")),
    "conclude": (_conclude, _("The conclusion is saved.")),
    "outcome": (_outcome, _("What was done is saved.")),
}


def _act(request: HttpRequest, round: Round, actions: Mapping[str, Handler]) -> Failed | None:
    """Run the posted action: None when it was done, the refused form otherwise."""
    action, target = request.POST.get("action", ""), request.POST.get("target", "")
    if action not in actions:
        raise Http404
    handler, done = actions[action]
    form = handler(round, staff_user(request), request.POST, target)
    if form.errors:
        return Failed(action, target, form)
    messages.success(request, str(done))
    return None


@login_required
@never_cache
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    round = get_round_for_user(staff_user(request), pk, write=request.method == "POST")
    if request.method == "POST":
        failed = _act(request, round, ROUND_ACTIONS)
        if failed is None:
            return redirect("surveys:staff-round", pk=round.pk)
        return _render_round(request, round, failed)
    return _render_round(request, round)


def _codes_csv(codes: list[str]) -> bytes:
    link = _respondent_url("surveys:code")
    rows: list[list[exports.Cell]] = [[code, f"{link}?kod={code}"] for code in codes]
    return exports.to_csv(exports.Table(header=[str(_("Code")), str(_("Link"))], rows=rows))


@require_POST
@login_required
@never_cache
def invitations(request: HttpRequest, pk: int) -> HttpResponse:
    """New invitation codes, downloaded at once: only their hashes are kept, so they can
    never be shown again."""
    user = staff_user(request)
    round = get_round_for_user(user, pk, write=True)
    form = f.InvitationForm(request.POST, prefix="invitations")
    codes: list[str] = []
    _attempt(
        form,
        lambda: codes.extend(
            services.invitations_create(round=round, count=form.cleaned_data["count"], by=user)
        ),
    )
    if form.errors:
        return _render_round(request, round, Failed("invitations", "", form))
    name = f"{_file_stem(round)}-{slugify(str(_('codes')))}-{len(codes)}.csv"
    response = HttpResponse(_codes_csv(codes), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _file_stem(round: Round) -> str:
    """An ASCII file name from the survey and round ("medborgarenkat-2026")."""
    parts = (slugify(round.survey.title), slugify(round.name))
    return "-".join(part for part in parts if part) or f"round-{round.pk}"


# Paper answers


@login_required
@never_cache
def paper_entry(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff type in a paper form; then the empty form again for the next."""
    user = staff_user(request)
    round = get_round_for_user(user, pk, write=True)
    questions = [rq.question for rq in round.round_questions.select_related("question")]
    form = ResponseForm(questions, request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        answers = form.answers()
        if all(value is None for value in answers.values()):
            form.add_error(None, _("Nothing was entered. Enter the answers on the form."))
        else:
            _attempt(
                form,
                lambda: services.paper_response_enter(round=round, answers=answers, by=user),
            )
        if not form.errors:
            messages.success(request, str(_("The paper answer is saved. Enter the next.")))
            return redirect("surveys:paper", pk=round.pk)
    context = {
        "survey": round.survey,
        "round": round,
        "form": form,
        "fields": [(question, form[field_name(question)]) for question in questions],
        "count": round.responses.filter(channel=Response.Channel.PAPER).count(),
        "paper_until": round.closes_on + timedelta(days=services.PAPER_GRACE_DAYS),
    }
    return render(request, "surveys/staff/paper.html", context, status=400 if form.errors else 200)


# Free texts


def _text_answer(round: Round, target: str) -> TextAnswer:
    found = TextAnswer.objects.filter(pk=_id(target), response__round=round)
    answer = found.select_related("response__round__survey__unit", "question").first()
    if answer is None:
        raise Http404
    return answer


def _tag(round: Round, user: User, data: Any, target: str) -> Form:
    answer = _text_answer(round, target)
    form = f.ThemesForm(data, prefix=f"tag-{answer.pk}")
    return _attempt(
        form,
        lambda: services.text_answer_tag(text_answer=answer, themes=form.theme_list(), by=user),
    )


def _quote(round: Round, user: User, data: Any, target: str) -> Form:
    answer = _text_answer(round, target)
    form = f.QuoteForm(data, prefix=f"quote-{answer.pk}")
    return _attempt(
        form,
        lambda: services.quote_publish(text_answer=answer, text=form.cleaned_data["text"], by=user),
    )


def _withdraw(round: Round, user: User, data: Any, target: str) -> Form:
    quote = Quote.objects.filter(pk=_id(target), round=round).select_related("round__survey__unit")
    found = quote.first()
    if found is None:
        raise Http404
    form = f.PublishForm(data)  # nothing to fill in: a button
    return _attempt(form, lambda: services.quote_withdraw(quote=found, by=user))


TEXT_ACTIONS: dict[str, Handler] = {
    "tag": (_tag, _("The themes are saved.")),
    "quote": (_quote, _("The quote is published.")),
    "withdraw": (_withdraw, _("The quote is withdrawn.")),
}


@dataclass
class TextRow:
    answer: TextAnswer
    themes: Form | None
    quote: Form | None


def _theme_counts(answers: Iterable[tuple[int, int, list[str]]]) -> list[tuple[str, int]]:
    counts: dict[str, int] = defaultdict(int)
    for _pk, _question, themes in answers:
        for theme in themes:
            counts[theme] += 1
    return sorted(counts.items(), key=lambda item: (-item[1], item[0].casefold()))


def _text_rows(
    request: HttpRequest, round: Round, runner: bool, failed: Failed | None
) -> dict[str, Any]:
    positions = dict(round.round_questions.values_list("question_id", "position"))
    listed = sorted(
        TextAnswer.objects.filter(response__round=round).values_list("pk", "question_id", "themes"),
        key=lambda row: (positions.get(row[1], 0), row[0]),
    )
    theme = request.GET.get("tema", "").strip()
    chosen = [
        row for row in listed if not theme or theme.casefold() in {t.casefold() for t in row[2]}
    ]
    page = Paginator(chosen, TEXTS_PER_PAGE).get_page(request.GET.get("sida"))
    by_pk = TextAnswer.objects.select_related("question").in_bulk([row[0] for row in page])
    rows = []
    for pk, _question, _themes in page:
        answer = by_pk[pk]
        rows.append(
            TextRow(
                answer,
                _bound_or(failed, "tag", pk, partial(_themes_form, answer)) if runner else None,
                _bound_or(failed, "quote", pk, partial(_quote_form, answer)) if runner else None,
            )
        )
    return {
        "rows": rows,
        "page": page,
        "theme": theme,
        "themes": _theme_counts(listed),
        "total": len(listed),
    }


def _themes_form(answer: TextAnswer) -> Form:
    return f.ThemesForm(initial={"themes": ", ".join(answer.themes)}, prefix=f"tag-{answer.pk}")


def _quote_form(answer: TextAnswer) -> Form:
    return f.QuoteForm(initial={"text": answer.text}, prefix=f"quote-{answer.pk}")


@login_required
@never_cache
def free_texts(request: HttpRequest, pk: int) -> HttpResponse:
    """The round's free-text answers, for staff only: never shown publicly as they are."""
    user = staff_user(request)
    round = get_round_for_user(user, pk, write=request.method == "POST")
    failed = None
    if request.method == "POST":
        failed = _act(request, round, TEXT_ACTIONS)
        if failed is None:
            query = request.GET.urlencode()
            return redirect(
                reverse("surveys:free-texts", args=[round.pk]) + (f"?{query}" if query else "")
            )
    runner = can_run(user, round.survey.unit)
    context = {
        "survey": round.survey,
        "round": round,
        "runner": runner,
        "quotes": round.quotes.select_related("question", "published_by"),
        "failed": failed,
        **_text_rows(request, round, runner, failed),
    }
    return render(request, "surveys/staff/free_texts.html", context, status=400 if failed else 200)


# The export


FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _texts_by_response(round: Round, responses: list[int]) -> list[dict[int, str]]:
    texts: dict[int, dict[int, str]] = defaultdict(dict)
    rows = TextAnswer.objects.filter(response__round=round).values_list(
        "response_id", "question_id", "text"
    )
    for response, question, text in rows:
        texts[response][question] = text
    return [texts.get(response, {}) for response in responses]


@login_required
@never_cache
def export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The round's raw answers, background cells suppressed; free text only on request
    (`?texts=1`) and only for those who run the survey."""
    if fmt not in FORMATS:
        raise Http404
    user = staff_user(request)
    round = get_round_for_user(user, pk)
    with_texts = request.GET.get("texts") == "1"
    if with_texts and not can_run(user, round.survey.unit):
        raise PermissionDenied
    questions = [rq.question for rq in round.round_questions.select_related("question")]
    stored = list(round.responses.order_by("pk").values_list("pk", "answers"))
    table = exports.raw_answers(
        questions,
        [answers for _pk, answers in stored],
        minimum=settings.SERVICENAV_SURVEY_MIN_ANSWERS,
        texts=_texts_by_response(round, [pk for pk, _answers in stored]) if with_texts else None,
    )
    services.export_record(round=round, file_format=fmt, with_texts=with_texts, by=user)
    body = exports.to_csv(table) if fmt == "csv" else exports.to_xlsx(table, title=round.name)
    response = HttpResponse(body, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{_file_stem(round)}.{fmt}"'
    return response


# Focus groups


def focus_groups_visible_to(user: User) -> QuerySet[FocusGroup]:
    return FocusGroup.objects.filter(unit__in=Unit.objects.visible_to(user))


@login_required
@never_cache
def focus_groups(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    runner = f.runnable_units(user).exists()
    if request.method == "POST" and not runner:
        raise PermissionDenied
    form = f.FocusGroupForm(request.POST if request.method == "POST" else None, user=user)
    if form.is_bound:
        _attempt(form, lambda: services.focus_group_record(by=user, **form.values()))
        if not form.errors:
            messages.success(request, str(_("The focus group is recorded.")))
            return redirect("surveys:focus-groups")
    groups = (
        focus_groups_visible_to(user)
        .select_related("unit", "survey")
        .order_by("unit__path", "-held_on", "-pk")
    )
    context = {
        "groups": [(unit, list(items)) for unit, items in groupby(groups, lambda g: g.unit)],
        "form": form if runner else None,
    }
    return render(
        request, "surveys/staff/focus_groups.html", context, status=400 if form.errors else 200
    )
