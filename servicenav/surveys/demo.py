"""Demo surveys: Luleå's yearly citizen survey in three rounds and the Contact Centre's
monthly service survey, with answers that move between rounds, plus two focus groups.

The story the numbers tell, so that every part of the analysis has something to show:

- Citizen survey (medborgarundersökning), three spring rounds, the last one closed.
  Information och delaktighet starts lowest and improves clearly after the first round's
  conclusion (a new website, household leaflets, dialogues); safety in the evenings drops,
  most in Centrum; the other areas stay where they were. Kommunens verksamheter drives the
  overall index most, Information och delaktighet second, so the priority matrix fills all
  four quadrants. The last round was answered only with invitation codes: 2,500 letters,
  about 35 % used, so the response-rate warning shows.
- Service survey (servicemätning) at Kontaktcenter, one round a month for a year and a
  half plus the current month, still open: accessibility dips for about half a year after
  a new telephone system (worst for those who phoned) and recovers after call-back was
  introduced; the chat channel starts during the period and is small at first, so its
  cells are suppressed in those months.

Rounds, invitation codes, published questions, conclusions, quotes and focus groups go
through the services, backdated afterwards where they keep a date; surveys, areas and
questions are created directly, as no service writes them yet. Responses and free-text
answers (with the themes staff gave them) are demo data written with `bulk_create` for
speed — thousands through `response_submit` would take seconds — but every stored answer is
what `answers.clean_answer` makes of a form value, at its question's position, exactly as
`response_submit` would store it. Invitations are only marked used in bulk: like the real
thing, nothing joins a code to a response.

A survey the unit already has (by title) is left alone, and so is a focus group (by unit
and target group): running the demo again adds nothing."""

from __future__ import annotations

import calendar
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from servicenav.core.periods import add_months
from servicenav.core.progress import progress
from servicenav.organisation.models import Unit, User
from servicenav.surveys import services
from servicenav.surveys.answers import DONT_KNOW_VALUE, clean_answer
from servicenav.surveys.demo_texts import (
    AGE,
    BEMOTANDE,
    CHANNEL,
    CITIZEN,
    CITIZEN_CONCLUSIONS,
    CITIZEN_QUOTES,
    CITIZEN_TEXTS,
    CITIZEN_THEME_TREND,
    CONTACT,
    DISTRICT,
    FOCUS_GROUPS,
    HELHET,
    INFORMATION,
    MULTIPLE,
    SCALE,
    SERVICE,
    SERVICE_CONCLUSION,
    SERVICE_QUOTE,
    SERVICE_TEXTS,
    SERVICE_WAITING_THEME,
    SVAR,
    TEXT,
    TILLGANGLIGHET,
    TRYGGHET,
    VERKSAMHETER,
    YES_NO,
    Ask,
    SurveyText,
)
from servicenav.surveys.models import (
    Area,
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
    from django.db.models import QuerySet

    from servicenav.core.progress import Writable

SEED = 2026
COORDINATOR = "kvalitet"
SKIPPED = 0.02  # share of questions a respondent leaves unanswered

# Citizen survey: responses to the open-link rounds; the last round's are its used codes.
CITIZEN_RESPONSES = (690, 760)
INVITATIONS_SENT, INVITATIONS_USED = 2500, 870
CITIZEN_SPREAD, CITIZEN_NOISE, CITIZEN_TEXTS_PER_ROUND = 1.5, 1.2, 34
# How each area moves, round by round, in scale points; the rest stay put.
# A question follows its area's trend as far as its `Ask.follows` says: safety most.
CITIZEN_TREND = {INFORMATION: (0.0, 0.5, 0.95), TRYGGHET: (0.0, -0.05, -0.6)}
CENTRUM_SAFETY = (0.0, -0.35, -1.0)  # on top, for those living in Centrum
# The overall questions follow the areas with these weights: Kommunens verksamheter drives.
CITIZEN_WEIGHTS = {VERKSAMHETER: 0.6, INFORMATION: 0.3, BEMOTANDE: 0.12, TRYGGHET: 0.05}
OVERALL_GAIN = 1.2  # so the overall answers spread as widely as the areas'
# (background question, option number): shifts per area for those who chose it.
CITIZEN_GROUPS = {
    (AGE, 1): {INFORMATION: -0.2, TRYGGHET: -0.4},
    (AGE, 4): {INFORMATION: -0.6, BEMOTANDE: 0.4},
    (DISTRICT, 1): {TRYGGHET: -0.8},
    (DISTRICT, 7): {TRYGGHET: 0.4},
    (DISTRICT, 8): {TRYGGHET: 0.6, VERKSAMHETER: -0.5},
    (CONTACT, 1): {BEMOTANDE: 0.2},
}
NO_CONTACT_DONT_KNOW = 0.3  # more "vet ej" about treatment from those without contact

# Service survey: 18 full months and the current one.
MONTHS = 18
SERVICE_SPREAD, SERVICE_NOISE = 0.55, 0.45
SERVICE_WEIGHTS = {TILLGANGLIGHET: 0.55, SVAR: 0.45}
# Responses in a month of the year (Jan–Dec): fewer in summer and at Christmas.
MONTH_VOLUME = (95, 90, 104, 86, 80, 62, 44, 72, 108, 114, 96, 66)
# Months ago: how far accessibility falls; 1.4 times this for those who phoned, a quarter
# of that for the rest.
DIP = {12: -0.3, 11: -0.8, 10: -1.15, 9: -1.0, 8: -0.65, 7: -0.3}
WORST_MONTH = 10
CHAT_LAUNCHED = 14  # months ago; its share grows from 2 % by a point a month up to 10 %
QUOTE_MONTH = 10  # months ago: a comment on the new chat is published as a quote
SWEDISH_MONTHS = (
    "Januari", "Februari", "Mars", "April", "Maj", "Juni",
    "Juli", "Augusti", "September", "Oktober", "November", "December",
)  # fmt: skip

Answer = int | str | None


@dataclass
class _Story:
    """How one round's respondents answer: area shifts, group shifts and weights."""

    trend: Mapping[str, float]
    weights: Mapping[str, float]
    spread: float
    noise: float
    groups: Callable[[dict[str, int]], dict[str, float]]
    background_weights: dict[str, tuple[float, ...]] = field(default_factory=dict)


@dataclass
class _Told:
    """What a survey's story made, for the summary and for conclusions."""

    rounds: list[Round] = field(default_factory=list)
    responses: int = 0


def load_demo_surveys(*, stdout: Writable, today: date) -> int:
    """Add the demo surveys and focus groups the demo units do not have yet; returns how
    many surveys were added."""
    slugs = {CITIZEN.slug, SERVICE.slug} | {group.unit for group in FOCUS_GROUPS}
    units = {unit.slug: unit for unit in Unit.objects.filter(slug__in=slugs)}
    by = User.objects.filter(username=COORDINATOR).first()
    added, told = 0, _Told()
    with transaction.atomic():
        for text, tell in ((CITIZEN, _tell_citizen), (SERVICE, _tell_service)):
            unit = units.get(text.slug)
            if unit is None or Survey.objects.filter(unit=unit, title_sv=text.title_sv).exists():
                continue
            result = tell(_survey(text, unit), by, today, stdout)
            told.rounds += result.rounds
            told.responses += result.responses
            added += 1
        groups = _focus_groups(units, today, by)
    stdout.write(
        f"Demo surveys: {added} new with {len(told.rounds)} rounds and {told.responses} "
        f"responses; {groups} new focus groups.\n"
    )
    return added


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=timezone.get_default_timezone())


# The survey and its questions.


def _survey(text: SurveyText, unit: Unit) -> Survey:
    """The survey with its areas and questions."""
    survey = Survey.objects.create(
        unit=unit,
        title_sv=text.title_sv,
        title_en=text.title_en,
        target_group_sv=text.target_group_sv,
        target_group_en=text.target_group_en,
        intro_sv=text.intro_sv,
        intro_en=text.intro_en,
    )
    areas = {
        key: Area.objects.create(survey=survey, name_sv=sv, name_en=en, order=order)
        for order, (key, sv, en) in enumerate(text.areas, start=1)
    }
    for order, ask in enumerate(text.asks, start=1):
        labels = ask.labels
        Question.objects.create(
            survey=survey,
            area=areas.get(ask.area),
            kind=ask.kind,
            text_sv=ask.sv,
            text_en=ask.en,
            scale_max=text.scale_max if ask.kind == SCALE else None,
            low_label_sv=labels.low_sv if labels else "",
            low_label_en=labels.low_en if labels else "",
            high_label_sv=labels.high_sv if labels else "",
            high_label_en=labels.high_en if labels else "",
            allows_dont_know=ask.dont_know > 0,
            options=[{"sv": sv, "en": en} for sv, en in ask.options],
            is_background=ask.background,
            is_overall=ask.overall,
            order=order,
        )
    return survey


def _asks(round: Round, text: SurveyText) -> list[tuple[Question, Ask]]:
    """The round's questions in position order, each with the demo's `Ask` for it."""
    by_text = {ask.sv: ask for ask in text.asks}
    places = round.round_questions.select_related("question").order_by("position")
    return [(place.question, by_text[place.question.text_sv]) for place in places]


# One respondent.


def _choose(rng: random.Random, weights: tuple[float, ...]) -> int:
    """An option number (1-based) drawn with the given weights."""
    return rng.choices(range(1, len(weights) + 1), weights=weights)[0]


def _raw(
    rng: random.Random, ask: Ask, question: Question, score: float, story: _Story
) -> list[str]:
    """What the form would post for a non-background question, from the respondent's
    satisfaction with the question's area (`score`, in scale points)."""
    if ask.kind == TEXT or rng.random() < SKIPPED:
        return []  # free text is written apart, see `_write_texts`
    if ask.kind == SCALE:
        value = round(ask.mean + score + story.noise * rng.gauss(0, 1))
        return [str(min(max(value, 1), question.scale_max or 0))]
    if ask.kind == YES_NO:
        yes = min(max(ask.mean + 0.12 * score, 0.0), 1.0)
        return ["1" if rng.random() < yes else "2"]
    if ask.kind == MULTIPLE:
        chosen = {_choose(rng, ask.weights) for _ in range(1 if rng.random() < 0.8 else 2)}
        return [str(option) for option in sorted(chosen)]
    return [str(_choose(rng, ask.weights))]


def _respondent(
    rng: random.Random, asks: list[tuple[Question, Ask]], story: _Story
) -> list[Answer]:
    """One response's answers, aligned with the round's positions."""
    background = {
        ask.key: _choose(rng, story.background_weights.get(ask.key, ask.weights))
        for _question, ask in asks
        if ask.background
    }
    shifts = story.groups(background)
    trend = {
        area: story.trend.get(area, 0.0) + shifts.get(f"trend:{area}", 0.0)
        for area in story.weights
    }
    common = rng.gauss(0, 1)
    scores = {
        area: trend[area]
        + shifts.get(area, 0.0)
        + story.spread * (0.6 * common + 0.8 * rng.gauss(0, 1))
        for area in story.weights
    }
    scores[HELHET] = OVERALL_GAIN * sum(scores[area] * w for area, w in story.weights.items())
    answers: list[Answer] = []
    for question, ask in asks:
        if ask.background:
            raw = [] if rng.random() < SKIPPED else [str(background[ask.key])]
        elif question.allows_dont_know and rng.random() < ask.dont_know + shifts.get(
            f"dont_know:{ask.area}", 0.0
        ):
            raw = [DONT_KNOW_VALUE]
        elif ask.area in trend:  # a question follows its area's trend as much as it says
            score = scores[ask.area] + (ask.follows - 1) * trend[ask.area]
            raw = _raw(rng, ask, question, score, story)
        else:
            raw = _raw(rng, ask, question, scores[HELHET] / OVERALL_GAIN, story)
        answers.append(clean_answer(question, raw))
    return answers


def _fill(
    round: Round,
    asks: list[tuple[Question, Ask]],
    *,
    count: int,
    rng: random.Random,
    story: _Story,
    day: Callable[[], date],
    paper: Callable[[list[Answer]], float],
) -> list[Response]:
    """`count` responses to `round` (see the module docstring on `bulk_create`)."""
    responses = []
    for _ in range(count):
        answers = _respondent(rng, asks, story)
        channel = Response.Channel.PAPER if rng.random() < paper(answers) else Response.Channel.WEB
        responses.append(
            Response(round=round, answers=answers, channel=channel, submitted_on=day())
        )
    return Response.objects.bulk_create(responses, batch_size=1000)


def _write_texts(
    responses: list[Response],
    question: Question,
    texts: list[tuple[str, tuple[str, ...]]],
    *,
    rng: random.Random,
    tagged: float,
) -> None:
    """The free-text answers, one each to as many responses; `tagged`: the share staff
    have already given themes."""
    writers = rng.sample(responses, min(len(texts), len(responses)))
    TextAnswer.objects.bulk_create(
        TextAnswer(
            response=response,
            question=question,
            text=text,
            themes=list(themes) if rng.random() < tagged else [],
        )
        for response, (text, themes) in zip(writers, texts, strict=False)
    )


def _pick_texts(
    rng: random.Random,
    pool: tuple[tuple[str, tuple[str, ...]], ...],
    count: int,
    weight: Callable[[tuple[str, ...]], float],
    include: tuple[str, ...] = (),
) -> list[tuple[str, tuple[str, ...]]]:
    """`count` different texts, more likely the heavier their themes (weighted sampling
    without replacement), with the ones in `include` always among them."""
    keyed = [
        (1.0 if text in include else rng.random() ** (1 / w), (text, themes))
        for text, themes in pool
        if (w := weight(themes)) > 0
    ]
    keyed.sort(key=lambda pair: pair[0], reverse=True)
    return [entry for _key, entry in keyed[:count]]


def _paper_when(
    position: int, option: int, *, share: float, otherwise: float
) -> Callable[[list[Answer]], float]:
    """How likely a response came on paper: `share` when the background question at
    `position` was answered with `option` (older people, visitors), else `otherwise`."""

    def paper(answers: list[Answer]) -> float:
        return share if answers[position] == option else otherwise

    return paper


def _any_day(rng: random.Random, first: date, days: int) -> Callable[[], date]:
    def day() -> date:
        return first + timedelta(days=rng.randrange(days))

    return day


# The citizen survey.


def _spring(year: int) -> tuple[date, date]:
    """A round opens on the Monday on or after 9 March and closes four weeks later."""
    march = date(year, 3, 9)
    opens = march + timedelta(days=(7 - march.weekday()) % 7)
    return opens, opens + timedelta(days=27)


def _citizen_story(index: int) -> _Story:
    def groups(background: dict[str, int]) -> dict[str, float]:
        shifts: dict[str, float] = {}
        for (key, option), effects in CITIZEN_GROUPS.items():
            if background.get(key) == option:
                for area, shift in effects.items():
                    shifts[area] = shifts.get(area, 0.0) + shift
        if background.get(DISTRICT) == 1:
            shifts[f"trend:{TRYGGHET}"] = CENTRUM_SAFETY[index]
        if background.get(CONTACT) == 2:
            shifts[f"dont_know:{BEMOTANDE}"] = NO_CONTACT_DONT_KNOW
        return shifts

    return _Story(
        trend={area: shifts[index] for area, shifts in CITIZEN_TREND.items()},
        weights=CITIZEN_WEIGHTS,
        spread=CITIZEN_SPREAD,
        noise=CITIZEN_NOISE,
        groups=groups,
    )


def _citizen_day(rng: random.Random, opens: date) -> Callable[[], date]:
    """Most answers come in the first week, a second wave after the reminder on day 14."""

    def day() -> date:
        start = 14 if rng.random() < 0.3 else 0
        return opens + timedelta(days=min(27, start + int(rng.expovariate(1 / 4))))

    return day


def _tell_citizen(survey: Survey, by: User | None, today: date, stdout: Writable) -> _Told:
    rng = random.Random(f"{SEED}:citizen")  # noqa: S311
    last = today.year if _spring(today.year)[1] < today else today.year - 1
    told = _Told()
    for index, year in enumerate(
        progress(range(last - 2, last + 1), label="Citizen survey", stream=stdout)
    ):
        opens, closes = _spring(year)
        round = services.round_create(
            survey=survey, name=str(year), opens_on=opens, closes_on=closes, by=by
        )
        invited = year == last
        Round.objects.filter(pk=round.pk).update(
            created_at=_at(opens - timedelta(days=20)), open_link=not invited
        )
        if index == 0:
            _publish(round.round_questions.filter(question__kind=SCALE), by)
        count = _invite(round, by, rng) if invited else CITIZEN_RESPONSES[index]
        asks = _asks(round, CITIZEN)
        age_position = next(i for i, (_q, ask) in enumerate(asks) if ask.key == AGE)
        responses = _fill(
            round,
            asks,
            count=count,
            rng=rng,
            story=_citizen_story(index),
            day=_citizen_day(rng, opens),
            paper=_paper_when(age_position, 4, share=0.4, otherwise=0.07),
        )
        _citizen_texts(responses, asks, index, rng)
        told.rounds.append(round)
        told.responses += len(responses)
    _citizen_conclusions(told.rounds, asks, by)
    return told


def _invite(round: Round, by: User | None, rng: random.Random) -> int:
    """Letters with codes to a sample of residents; the codes people used are deleted in
    bulk, as answering deletes them. Returns how many were used."""
    services.invitations_create(round=round, count=INVITATIONS_SENT, by=by)
    pks = sorted(round.invitations.values_list("pk", flat=True))
    Invitation.objects.filter(pk__in=rng.sample(pks, INVITATIONS_USED)).delete()
    return INVITATIONS_USED


def _text_question(asks: list[tuple[Question, Ask]]) -> Question:
    return next(question for question, ask in asks if ask.kind == TEXT)


def _citizen_texts(
    responses: list[Response], asks: list[tuple[Question, Ask]], index: int, rng: random.Random
) -> None:
    def weight(themes: tuple[str, ...]) -> float:
        trends = [
            CITIZEN_THEME_TREND[theme][index] for theme in themes if theme in CITIZEN_THEME_TREND
        ]
        return max(trends, default=1.0)

    pool = CITIZEN_TEXTS if index else tuple(t for t in CITIZEN_TEXTS if t[0] not in CITIZEN_QUOTES)
    texts = _pick_texts(
        rng, pool, CITIZEN_TEXTS_PER_ROUND, weight, include=CITIZEN_QUOTES if index == 1 else ()
    )
    _write_texts(responses, _text_question(asks), texts, rng=rng, tagged=1.0 if index < 2 else 0.5)


def _citizen_conclusions(
    rounds: list[Round], asks: list[tuple[Question, Ask]], by: User | None
) -> None:
    for round, (text, actions, outcome) in zip(rounds, CITIZEN_CONCLUSIONS, strict=False):
        _conclude(round, text, actions, outcome, by, on=round.closes_on + timedelta(days=30))
    for quote in CITIZEN_QUOTES:
        _quote(rounds[1], quote, by, on=rounds[1].closes_on + timedelta(days=35))


def _publish(places: QuerySet[RoundQuestion], by: User | None) -> None:
    for place in places.select_related("question", "round__survey__unit"):
        services.round_question_publish(round_question=place, public=True, by=by)


def _conclude(
    round: Round, text: str, actions: str, outcome: str, by: User | None, *, on: date
) -> None:
    """A conclusion with its actions, written `on` a day after the round, and what was
    done about it."""
    conclusion = services.conclusion_add(round=round, text=text, actions=actions, by=by)
    services.conclusion_update_outcome(conclusion=conclusion, outcome=outcome, by=by)
    Conclusion.objects.filter(pk=conclusion.pk).update(created_at=_at(on))


def _quote(round: Round, text: str, by: User | None, *, on: date) -> None:
    """Publish the round's free-text answer `text` as a quote `on` a day after the round."""
    answer = (
        TextAnswer.objects.filter(response__round=round, text=text)
        .select_related("question", "response__round__survey__unit")
        .first()
    )
    if answer is not None:
        quote = services.quote_publish(text_answer=answer, text=text, by=by)
        Quote.objects.filter(pk=quote.pk).update(published_at=_at(on))


# The service survey.


def _service_story(months_ago: int) -> _Story:
    dip = DIP.get(months_ago, 0.0)

    def groups(background: dict[str, int]) -> dict[str, float]:
        channel = background.get(CHANNEL)
        shifts = {TILLGANGLIGHET: dip * (1.4 if channel == 1 else 0.35), SVAR: dip * 0.15}
        if channel == 3:  # a visit
            shifts[SVAR] += 0.2
        if channel == 4:  # chat
            shifts[TILLGANGLIGHET] += 0.3
        return shifts

    chat = (
        0.0 if months_ago > CHAT_LAUNCHED else min(0.1, 0.02 + 0.01 * (CHAT_LAUNCHED - months_ago))
    )
    phone, email, visit, _chat = next(ask for ask in SERVICE.asks if ask.key == CHANNEL).weights
    return _Story(
        trend={},
        weights=SERVICE_WEIGHTS,
        spread=SERVICE_SPREAD,
        noise=SERVICE_NOISE,
        groups=groups,
        background_weights={CHANNEL: (phone - chat, email, visit, chat)},
    )


def _service_schedule(today: date) -> list[tuple[int, date, date]]:
    """(months ago, first day, last day) of each month, oldest first."""
    current = today.replace(day=1)
    schedule = []
    for months_ago in range(MONTHS, -1, -1):
        first = add_months(current, -months_ago)
        last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
        schedule.append((months_ago, first, last))
    return schedule


def _tell_service(survey: Survey, by: User | None, today: date, stdout: Writable) -> _Told:
    rng = random.Random(f"{SEED}:service")  # noqa: S311
    told = _Told()
    for months_ago, first, last in progress(
        _service_schedule(today), label="Service survey", stream=stdout
    ):
        name = f"{SWEDISH_MONTHS[first.month - 1]} {first.year}"
        round = services.round_create(
            survey=survey, name=name, opens_on=first, closes_on=last, by=by
        )
        Round.objects.filter(pk=round.pk).update(created_at=_at(first - timedelta(days=3)))
        if months_ago == MONTHS:
            places = round.round_questions.filter(question__is_background=False)
            _publish(places.exclude(question__kind=TEXT), by)
        days = (min(last, today) - first).days + 1
        volume = MONTH_VOLUME[first.month - 1] + rng.randint(-8, 8)
        asks = _asks(round, SERVICE)
        channel_position = next(i for i, (_q, ask) in enumerate(asks) if ask.key == CHANNEL)
        responses = _fill(
            round,
            asks,
            count=_round_count(volume, days, last.day),
            rng=rng,
            story=_service_story(months_ago),
            day=_any_day(rng, first, days),
            paper=_paper_when(channel_position, 3, share=0.6, otherwise=0.0),
        )
        _service_texts(responses, asks, months_ago, rng)
        if months_ago == WORST_MONTH:
            _conclude(round, *SERVICE_CONCLUSION, by, on=last + timedelta(days=12))
        if months_ago == QUOTE_MONTH:
            _quote(round, SERVICE_QUOTE, by, on=last + timedelta(days=20))
        told.rounds.append(round)
        told.responses += len(responses)
    return told


def _round_count(volume: int, days: int, days_in_month: int) -> int:
    """A full month's `volume` (kept within 40–120), or its share of the days so far."""
    return round(min(max(volume, 40), 120) * days / days_in_month)


def _service_texts(
    responses: list[Response],
    asks: list[tuple[Question, Ask]],
    months_ago: int,
    rng: random.Random,
) -> None:
    dip = DIP.get(months_ago, 0.0)

    def weight(themes: tuple[str, ...]) -> float:
        if "Chatt" in themes and months_ago > CHAT_LAUNCHED:
            return 0.0
        return 1 - 3 * dip if SERVICE_WAITING_THEME in themes else 1.0

    include = (SERVICE_QUOTE,) if months_ago == QUOTE_MONTH else ()
    texts = _pick_texts(rng, SERVICE_TEXTS, max(3, len(responses) // 9), weight, include=include)
    question = _text_question(asks)
    _write_texts(responses, question, texts, rng=rng, tagged=1.0 if months_ago > 1 else 0.0)


# Focus groups.


def _focus_groups(units: dict[str, Unit], today: date, by: User | None) -> int:
    added = 0
    for group in FOCUS_GROUPS:
        unit = units.get(group.unit)
        if (
            unit is None
            or FocusGroup.objects.filter(unit=unit, target_group=group.target_group).exists()
        ):
            continue
        held_on = add_months(today, -group.months_ago)
        held_on -= timedelta(days=(held_on.weekday() - 1) % 7)  # a Tuesday
        surveys = Survey.objects.filter(unit=unit, title_sv=SERVICE.title_sv)
        survey = surveys.first() if group.with_survey else None
        services.focus_group_record(
            by=by,
            unit=unit,
            survey=survey,
            held_on=held_on,
            target_group=group.target_group,
            participants=group.participants,
            method=group.method,
            summary=group.summary,
            themes=group.themes,
            quotes=group.quotes,
            actions=group.actions,
        )
        added += 1
    return added
