"""Two years of demo feedback (synpunkter) for the demo organisation.

Every case is told through the services, each step with `at` set to when it happened, so
its events, audit entries and both clocks are the real thing: most cases are acknowledged
within a day or two and answered within the deadline, about one in ten is late, some wait
for the citizen, a few are reopened, merged, referred or published, and the most recent
ones are still open — some of them overdue today.

No e-mail is queued: a demo case is submitted without its e-mail address, and the address
is filled in once its story is told. (The services queue mail whenever a case has an
address; deleting queued rows afterwards would still leave a delivery task per message.)
"""

from __future__ import annotations

import contextlib
import random
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, TypeVar

from django.db import transaction
from django.utils import timezone

from servicenav.cases import demo_texts as texts
from servicenav.cases import services
from servicenav.cases.models import (
    AnswerTemplate,
    Case,
    Category,
    Channel,
    DeadlineRule,
    Kind,
    Outcome,
    Status,
)
from servicenav.core.progress import progress
from servicenav.core.selectors import working_calendar
from servicenav.organisation.models import Role, ServiceValue, Unit, User
from servicenav.organisation.services import role_grant

if TYPE_CHECKING:
    from collections.abc import Mapping

    from servicenav.cases.demo_texts import Text
    from servicenav.core.calendar import WorkingCalendar
    from servicenav.core.progress import Writable

T = TypeVar("T")
SEED = 2026
DAYS_BACK = 730
CASES_PER_WEEKDAY, CASES_PER_WEEKEND_DAY = 1.25, 0.45
CHANNELS = {
    Channel.WEB: 50,
    Channel.PHONE: 17,
    Channel.EMAIL: 15,
    Channel.VISIT: 6,
    Channel.SOCIAL: 7,
    Channel.LETTER: 5,
}
OFFICE_CHANNELS = {Channel.PHONE, Channel.VISIT, Channel.LETTER}
# How likely a named citizen on each channel leaves an e-mail address and a phone number.
CONTACT_ODDS = {
    Channel.WEB: (0.8, 0.35),
    Channel.PHONE: (0.25, 0.9),
    Channel.EMAIL: (1.0, 0.2),
    Channel.VISIT: (0.3, 0.5),
    Channel.SOCIAL: (0.1, 0.0),
    Channel.LETTER: (0.1, 0.5),
}
KINDS = {Kind.COMPLAINT: 45, Kind.QUESTION: 20, Kind.PRAISE: 20, Kind.SUGGESTION: 15}
ANONYMOUS, TRIAGE, LATE = 0.25, 0.05, 0.10
# Cases left where they are today: still in triage (received in the last ten days), never
# acknowledged, or acknowledged and then forgotten (both 20 to 200 days ago).
UNROUTED, UNACKNOWLEDGED, STUCK = 3, 4, 13
# Working days from registration to the first staff action, and how often each occurs.
ACKNOWLEDGE_DELAYS = {0: 45, 1: 33, 2: 12, 3: 5, 4: 3, 6: 2}
PUBLISHED_UNITS = {
    "gata-park",
    "avfall",
    "vatten-avlopp",
    "bibliotek",
    "idrott-bad",
    "kontaktcenter",
}
KIND_NAMES = {
    Kind.COMPLAINT: "Klagomål",
    Kind.SUGGESTION: "Förslag",
    Kind.QUESTION: "Fråga",
    Kind.PRAISE: "Beröm",
}
SIGNATURE = "Vänliga hälsningar\n{name}\n{unit}, Luleå kommun"
EXISTING_HANDLERS = {"gata-park": "handlaggare", "hemtjanst": "handlaggare2"}


class _PastNow(Exception):
    """The story has reached today: the rest has not happened yet."""


@dataclass
class _Plan:
    """One case to tell: what came in, when and from whom, and how it will go."""

    received_at: datetime
    channel: str
    slug: str
    text: Text
    words: dict[str, str]
    name: str = ""
    email: str = ""
    phone: str = ""
    wants_answer: bool = False
    triage: bool = False
    late: bool = False
    stop: str = ""  # "unrouted", "unacknowledged" or "stuck": the story ends there


@dataclass
class _World:
    rng: random.Random
    calendar: WorkingCalendar
    horizon: datetime
    units: dict[str, Unit]
    categories: dict[tuple[str, str], Category]
    handlers: dict[str, User]
    coordinator: User
    values: list[ServiceValue]
    recent: dict[str, list[Case]] = field(default_factory=lambda: defaultdict(list))
    tally: Counter[str] = field(default_factory=Counter)


def load_demo_cases(*, stdout: Writable, today: date) -> int:
    """Add about two years of cases up to `today`; nothing if the demo units have cases."""
    if Case.objects.filter(unit__slug__in=texts.UNITS).exists():
        stdout.write("The demo units already have cases; demo cases not loaded.\n")
        return 0
    with transaction.atomic():
        world = _world(today)
        _load_settings(world)
        plans = _plans(world, today)
        for plan in progress(plans, label="Cases", stream=stdout):
            _tell(world, plan)
    _summarise(world, stdout, today)
    return world.tally["cases"]


def _world(today: date) -> _World:
    units = {unit.slug: unit for unit in Unit.objects.filter(slug__in=[*texts.UNITS, "lulea"])}
    categories = {}
    for slug, (_share, names) in texts.UNITS.items():
        for name_sv, name_en in names:
            category, _new = Category.objects.get_or_create(
                unit=units[slug], name_sv=name_sv, defaults={"name_en": name_en}
            )
            categories[slug, name_sv] = category
    office_close = datetime.combine(today, time(16, 30), tzinfo=timezone.get_default_timezone())
    return _World(
        rng=random.Random(SEED),  # noqa: S311  (made-up data, reproducible on purpose)
        calendar=working_calendar(),
        horizon=min(timezone.now(), office_close),
        units=units,
        categories=categories,
        handlers=_handlers(units),
        coordinator=User.objects.get(username="kvalitet"),
        values=list(ServiceValue.objects.all()),
    )


def _handlers(units: dict[str, Unit]) -> dict[str, User]:
    """The demo's staff where there are some, and one made-up handler for each other unit."""
    handlers = {slug: User.objects.get(username=name) for slug, name in EXISTING_HANDLERS.items()}
    for slug, (username, first, last) in texts.HANDLERS.items():
        user, new = User.objects.get_or_create(
            username=f"handlaggare-{username}",
            defaults={"first_name": first, "last_name": last, "email": f"{username}@lulea.example"},
        )
        if new:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            role_grant(user=user, unit=units[slug], role=Role.CASE_HANDLER, by=None)
        handlers[slug] = user
    return handlers


def _load_settings(world: _World) -> None:
    """A few unit deadlines and answer templates, as a municipality would set them."""
    rules = [("kontaktcenter", Kind.QUESTION, 1, 5), ("bygglov", "", 2, 15)]
    for slug, kind, acknowledge, answer in rules:
        DeadlineRule.objects.get_or_create(
            unit=world.units[slug],
            kind=kind,
            defaults={"acknowledge_days": acknowledge, "answer_days": answer},
        )
    sign = "\n\nVänliga hälsningar\n{handler}\n{unit}"
    answer_templates = [
        (None, "", "Tack för din synpunkt", "Hej!\n\nTack för din synpunkt, som har "
         "diarienummer {reference}. Du får svar inom tio arbetsdagar." + sign),
        (None, Kind.PRAISE, "Tack för berömmet", "Hej!\n\nTack för dina fina ord! Vi har delat "
         "ditt beröm med medarbetarna." + sign),
        (None, "", "Överlämnad till annan myndighet", "Hej!\n\nDet du skriver om ({reference}, "
         "inkom {received}) ansvarar en annan myndighet för. Vi har lämnat över din synpunkt "
         "till dem." + sign),
        (world.units["gata-park"], Kind.COMPLAINT, "Felanmälan åtgärdad", "Hej!\n\nTack för "
         "din felanmälan ({reference}). Felet är nu åtgärdat." + sign),
    ]  # fmt: skip
    for unit, kind, title, body in answer_templates:
        AnswerTemplate.objects.get_or_create(
            unit=unit, kind=kind, title=title, defaults={"body": body}
        )


# Planning: what comes in, day by day.


def _plans(world: _World, today: date) -> list[_Plan]:
    rng = world.rng
    plans = []
    for back in range(DAYS_BACK, -1, -1):
        day = today - timedelta(days=back)
        expected = CASES_PER_WEEKDAY if day.weekday() < 5 else CASES_PER_WEEKEND_DAY
        for _ in range(int(expected) + (rng.random() < expected % 1)):
            plan = _plan(world, day)
            if plan.received_at <= world.horizon:
                plans.append(plan)
    plans.sort(key=lambda plan: plan.received_at)
    _leave_some_open(rng, plans, today)
    return plans


def _leave_some_open(rng: random.Random, plans: list[_Plan], today: date) -> None:
    def days_ago(plan: _Plan) -> int:
        return (today - timezone.localtime(plan.received_at).date()).days

    recent = [plan for plan in plans if days_ago(plan) <= 10]
    for plan in rng.sample(recent, min(UNROUTED, len(recent))):
        plan.triage, plan.stop = True, "unrouted"
    older = [plan for plan in plans if 20 <= days_ago(plan) <= 200]
    for number, plan in enumerate(rng.sample(older, min(UNACKNOWLEDGED + STUCK, len(older)))):
        plan.stop = "unacknowledged" if number < UNACKNOWLEDGED else "stuck"


def _plan(world: _World, day: date) -> _Plan:
    rng = world.rng
    channel = _weighted(rng, CHANNELS)
    slug = _unit_for(rng, day.month)
    plan = _Plan(
        received_at=_received_at(world, day, channel),
        channel=channel,
        slug=slug,
        text=_text_for(rng, slug, _weighted(rng, KINDS), day.month),
        words=_words(rng),
        triage=rng.random() < TRIAGE,
        late=rng.random() < LATE,
    )
    if rng.random() >= ANONYMOUS:
        _add_contact(rng, plan)
    return plan


def _unit_for(rng: random.Random, month: int) -> str:
    shares = {slug: share for slug, (share, _categories) in texts.UNITS.items()}
    if month in texts.WINTER:
        shares["gata-park"] *= 2  # snow
    return _weighted(rng, shares)


def _text_for(rng: random.Random, slug: str, kind: str, month: int) -> Text:
    in_season = [text for text in texts.TEXTS[slug] if month in text.months]
    of_kind = [text for text in in_season if text.kind == kind]
    return rng.choice(of_kind or in_season or texts.TEXTS[slug])


def _received_at(world: _World, day: date, channel: str) -> datetime:
    """Phone calls, visits and letters come in office hours; the rest at any hour."""
    rng = world.rng
    if channel in OFFICE_CHANNELS:
        while not world.calendar.is_working_day(day):
            day -= timedelta(days=1)
        hours = rng.uniform(8, 16.5) if channel != Channel.LETTER else rng.uniform(8, 10)
    else:
        hours = rng.choice([7, 8, 9, 10, 12, 13, 15, 17, 19, 20, 21, 22]) + rng.random()
    return _local(day, time()) + timedelta(hours=hours)


def _words(rng: random.Random) -> dict[str, str]:
    streets = rng.sample(texts.STREETS, 2)
    return {
        "gata": streets[0],
        "gata2": streets[1],
        "nr": str(rng.randint(1, 60)),
        "omrade": rng.choice(texts.AREAS),
        "skola": rng.choice(texts.SCHOOLS),
        "forskola": rng.choice(texts.PRESCHOOLS),
        "boende": rng.choice(texts.HOMES),
        "personal": rng.choice(texts.STAFF_NAMES),
    }


def _add_contact(rng: random.Random, plan: _Plan) -> None:
    first, last = rng.choice(texts.FIRST_NAMES), rng.choice(texts.LAST_NAMES)
    email_odds, phone_odds = CONTACT_ODDS[Channel(plan.channel)]
    plan.name = f"{first} {last}"
    if rng.random() < email_odds:
        plan.email = f"{_ascii(first)}.{_ascii(last)}@{rng.choice(texts.MAIL_DOMAINS)}"
    if rng.random() < phone_odds:
        plan.phone = f"070-174 06 {rng.randint(5, 99):02d}"  # PTS's series for fiction
    plan.wants_answer = bool(plan.email or plan.phone) and rng.random() < 0.85


# Telling: one case from registration to where it is today.


def _tell(world: _World, plan: _Plan) -> None:
    rng = world.rng
    handler = world.handlers[plan.slug]
    registrar = None
    if plan.channel != Channel.WEB:
        from_contact_centre = plan.channel == Channel.PHONE and rng.random() < 0.5
        registrar = world.handlers["kontaktcenter"] if from_contact_centre else handler
    try:
        registered = _registered_at(world, plan)
    except _PastNow:
        return
    case, _code = services.case_submit(
        kind=plan.text.kind,
        text=_fill(plan.text.text, plan),
        unit=None if plan.triage else world.units[plan.slug],
        channel=plan.channel,
        received_at=plan.received_at,
        reporter_name=plan.name,
        reporter_phone=plan.phone,
        wants_answer=plan.wants_answer,
        by=registrar,
        at=registered,
    )
    with contextlib.suppress(_PastNow):
        _handle(world, plan, case, handler, registered)
    if plan.email:
        Case.objects.filter(pk=case.pk).update(
            reporter_email=plan.email, wants_answer=plan.wants_answer
        )
    _count(world, plan, case)


def _registered_at(world: _World, plan: _Plan) -> datetime:
    if plan.channel == Channel.WEB:
        return plan.received_at
    if plan.channel in (Channel.PHONE, Channel.VISIT):
        registered = plan.received_at + timedelta(minutes=world.rng.randint(3, 15))
        if registered > world.horizon:
            raise _PastNow
        return registered
    return _moment(world, plan.received_at, world.rng.choice((0, 0, 1, 2)))


def _handle(world: _World, plan: _Plan, case: Case, handler: User, at: datetime) -> None:
    rng = world.rng
    if case.unit is None:  # the citizen chose "don't know": the coordinator routes it
        if plan.stop == "unrouted":
            return
        at = _moment(world, at, rng.choice((0, 0, 1)))
        unit = world.units[plan.slug]
        services.case_move(
            case=case, unit=unit, reason=f"Gäller {unit.name_sv}.", by=world.coordinator, at=at
        )
    if plan.stop == "unacknowledged":
        return
    # The delay counts from the day received, not from when a letter was registered.
    received, today = timezone.localtime(case.received_at), timezone.localtime(at)
    spent = world.calendar.working_days_between(received.date(), today.date())
    at = _moment(world, at, max(_weighted(rng, ACKNOWLEDGE_DELAYS) - spent, 0))
    _acknowledge(world, plan, case, handler, at)
    if plan.stop == "stuck":
        return
    duplicate_of = _duplicate_of(world, plan, case)
    if duplicate_of is not None:
        reply = f"Vi har redan fått en synpunkt om samma sak ({duplicate_of.reference}) och "
        reply += "hanterar dem tillsammans. Där ser du också vårt svar."
        services.case_reply(case=case, text=_letter(world, plan, reply), by=handler, at=at)
        services.case_merge(case=case, into=duplicate_of, by=handler, at=_soon(world, at))
        return
    if rng.random() < 0.5:
        at = _moment(world, at, rng.choice((0, 1)))
        services.case_start(case=case, by=handler, at=at)
    if rng.random() < 0.35:
        at = _moment(world, at, rng.randint(0, 2))
        services.case_note(case=case, text=rng.choice(texts.NOTES), by=handler, at=at)
    if rng.random() < 0.15:
        at = _wait(world, plan, case, handler, at)
    at = _close(world, plan, case, handler, at)
    _afterwards(world, plan, case, handler, at)


def _acknowledge(world: _World, plan: _Plan, case: Case, handler: User, at: datetime) -> None:
    rng = world.rng
    if rng.random() < 0.8:
        services.case_assign(case=case, to=handler, by=handler, at=at)
    else:
        services.case_acknowledge(case=case, by=handler, at=at)
    if rng.random() < 0.9:
        category = world.categories[plan.slug, plan.text.category]
        services.case_categorise(case=case, category=category, by=handler, at=at)
    if rng.random() < (0.6 if plan.text.kind == Kind.PRAISE else 0.2):
        chosen = rng.sample(world.values, rng.choice((1, 1, 2)))
        services.case_tag_values(case=case, values=chosen, by=handler, at=at)
    related = world.recent[plan.slug]
    if related and rng.random() < 0.02:
        services.case_link(case=case, other=rng.choice(related[-20:]), by=handler, at=at)


def _duplicate_of(world: _World, plan: _Plan, case: Case) -> Case | None:
    if plan.text.kind != Kind.COMPLAINT or world.rng.random() >= 0.06:
        return None
    for earlier in reversed(world.recent[plan.slug][-10:]):
        close_in_time = case.received_at - earlier.received_at < timedelta(days=21)
        if close_in_time and earlier.category_id == case.category_id and case.category_id:
            return earlier
    return None


def _wait(world: _World, plan: _Plan, case: Case, handler: User, at: datetime) -> datetime:
    """Wait for the citizen (who answers from the case page) or for someone else."""
    rng = world.rng
    at = _moment(world, at, rng.randint(0, 2))
    if (plan.email or plan.phone) and rng.random() < 0.6:
        question, reason, answer = texts.WAIT_FOR_CITIZEN
        services.case_reply(case=case, text=_letter(world, plan, question), by=handler, at=at)
        services.case_wait(case=case, by=handler, reason=reason, at=_soon(world, at))
        at = _moment(world, at, rng.randint(1, 5))
        services.citizen_message(case=case, text=answer, at=at)
    else:
        services.case_wait(case=case, by=handler, reason=rng.choice(texts.WAIT_FOR_OTHERS), at=at)
        at = _moment(world, at, rng.randint(1, 8))
        services.case_start(case=case, by=handler, at=at)
    return at


def _close(world: _World, plan: _Plan, case: Case, handler: User, at: datetime) -> datetime:
    """Answer and close: in time on most cases, a few working days late on some."""
    rng, calendar = world.rng, world.calendar
    start = timezone.localtime(at).date()
    if plan.late:
        target = calendar.add_working_days(case.answer_by, rng.randint(1, 8))
    else:
        room = max(calendar.working_days_between(start, case.answer_by), 0)
        target = calendar.add_working_days(start, round(rng.triangular(0, room, room * 0.4)))
    at = _moment(world, at, max(calendar.working_days_between(start, target), 0))
    outcome, note, reply = _outcome(world, plan)
    services.case_reply(case=case, text=_letter(world, plan, reply), by=handler, at=at)
    at = _soon(world, at)
    services.case_close(case=case, outcome=outcome, note=note, by=handler, at=at)
    return at


def _outcome(world: _World, plan: _Plan) -> tuple[str, str, str]:
    """The outcome, its note and the reply: mostly as the text says, sometimes not."""
    text, roll = plan.text, world.rng.random()
    reply = _fill(text.reply, plan)
    if text.outcome == Outcome.REFERRED:
        return Outcome.REFERRED, text.referred_to, reply
    if text.kind in (Kind.COMPLAINT, Kind.SUGGESTION) and roll < 0.12:
        reason = world.rng.choice(texts.NO_ACTION_REASONS)
        return Outcome.NO_ACTION, reason, f"Vi har tittat på det du skriver. {reason}"
    if text.outcome == Outcome.NO_ACTION:
        return Outcome.NO_ACTION, reply, reply
    return text.outcome, "", reply


def _afterwards(world: _World, plan: _Plan, case: Case, handler: User, at: datetime) -> None:
    """Reopened by the citizen now and then; praise shared; some cases published."""
    rng = world.rng
    if rng.random() < 0.03:
        at = _moment(world, at, rng.randint(1, 12))
        by = None if plan.email or plan.phone else handler  # the citizen, from the case page
        reason = rng.choice(texts.REOPEN_REASONS)
        services.case_reopen(case=case, by=by, reason=reason, at=at)
        at = _moment(world, at, rng.randint(1, 6))
        again = "Vi har varit på plats igen och åtgärdat det som återstod."
        services.case_reply(case=case, text=_letter(world, plan, again), by=handler, at=at)
        services.case_close(case=case, outcome=Outcome.ACTIONED, by=handler, at=_soon(world, at))
    if plan.text.kind == Kind.PRAISE and rng.random() < 0.4:
        at = _moment(world, at, rng.randint(0, 5))
        services.case_mark_good_example(
            case=case, summary=plan.text.summary, by=world.coordinator, at=at
        )
    publishable = case.outcome in (Outcome.ACTIONED, Outcome.ANSWERED, Outcome.NO_ACTION)
    if plan.slug in PUBLISHED_UNITS and publishable and rng.random() < 0.1:
        at = _moment(world, at, rng.randint(1, 10))
        category = plan.text.category.lower()
        summary = f"{KIND_NAMES[Kind(plan.text.kind)]} om {category} i {plan.words['omrade']}."
        answer = _fill(plan.text.reply, plan)
        services.case_publish(
            case=case, summary=summary, answer=answer, by=world.coordinator, at=at
        )
    world.recent[plan.slug].append(case)


# Small helpers.


def _moment(world: _World, start: datetime, working_days: int) -> datetime:
    """A moment in office hours `working_days` working days after `start` (0: later the
    same working day if there is time left, else the next)."""
    calendar = world.calendar
    local = timezone.localtime(start)
    day = calendar.add_working_days(local.date(), working_days)
    while not calendar.is_working_day(day):
        day = calendar.add_working_days(day, 1)
    opening, closing = _local(day, time(8)), _local(day, time(16, 30))
    earliest = max(opening, local + timedelta(minutes=10))
    if earliest >= closing:
        return _moment(world, _local(calendar.add_working_days(day, 1), time(7)), 0)
    moment = earliest + (closing - earliest) * world.rng.random() ** 2
    if moment > world.horizon:
        raise _PastNow
    return moment


def _soon(world: _World, at: datetime) -> datetime:
    moment = at + timedelta(minutes=world.rng.randint(1, 5))
    if moment > world.horizon:
        raise _PastNow
    return moment


def _local(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, tzinfo=timezone.get_default_timezone())


def _weighted(rng: random.Random, weights: Mapping[T, float]) -> T:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _fill(text: str, plan: _Plan) -> str:
    return text.format(**plan.words)


def _letter(world: _World, plan: _Plan, body: str) -> str:
    greeting = f"Hej {plan.name.split()[0]}!" if plan.name else "Hej!"
    handler = world.handlers[plan.slug]
    signature = SIGNATURE.format(name=handler.get_full_name(), unit=world.units[plan.slug].name_sv)
    return f"{greeting}\n\n{body}\n\n{signature}"


def _ascii(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(char for char in decomposed if char.isascii()).lower()


def _count(world: _World, plan: _Plan, case: Case) -> None:
    tally = world.tally
    tally["cases"] += 1
    tally[f"kind:{case.kind}"] += 1
    tally["anonymous"] += not (plan.name or plan.email or plan.phone)
    if case.status != Status.CLOSED:
        tally["open"] += 1
        tally["overdue"] += case.answer_by < timezone.localtime(world.horizon).date()
    tally["late"] += case.answered_in_time is False
    tally["good examples"] += case.is_good_example
    tally["published"] += case.is_published


def _summarise(world: _World, stdout: Writable, today: date) -> None:
    tally = world.tally
    kinds = ", ".join(f"{tally[f'kind:{kind}']} {kind}" for kind in Kind.values)
    stdout.write(
        f"Demo cases: {tally['cases']} up to {today} ({kinds}); {tally['anonymous']} anonymous; "
        f"{tally['open']} open, {tally['overdue']} of them overdue; {tally['late']} answered "
        f"late; {tally['good examples']} good examples; {tally['published']} published.\n"
    )
