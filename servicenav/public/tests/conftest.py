"""Fixtures of the public app's tests: cases handled in every way the statistics know of,
received over a few months in every unit of the `tree`."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from servicenav.cases.services import (
    case_acknowledge,
    case_close,
    case_merge,
    case_note,
    case_reopen,
    case_reply,
    case_start,
    case_wait,
)
from servicenav.core.calendar import WorkingCalendar
from servicenav.core.periods import Period
from servicenav.declarations.follow_up import follow_up_declaration
from servicenav.declarations.models import FollowUp
from servicenav.declarations.tests.factories import published_declaration
from servicenav.improvement.models import Action
from servicenav.improvement.services import action_create, action_publish, action_set_status
from servicenav.kpis.compute import compute_indicator
from servicenav.kpis.models import Indicator, Measurement, Target
from servicenav.organisation.models import Role
from servicenav.public.feedback import feedback_statistics_compute
from servicenav.surveys.models import Question, Round, Survey
from servicenav.surveys.services import response_submit, round_create
from servicenav.testing import make_case, make_user

if TYPE_CHECKING:
    from collections.abc import Callable

    from conftest import Tree
    from servicenav.cases.models import Case
    from servicenav.declarations.models import Version
    from servicenav.organisation.models import Unit, User

STOCKHOLM = ZoneInfo("Europe/Stockholm")
CALENDAR = WorkingCalendar()
# The tests count the months ended before this day.
TODAY = date(2026, 6, 15)
KINDS = ("complaint", "suggestion", "praise", "question")


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=STOCKHOLM)


def received(unit: Unit | None, day: date, kind: str = "complaint", **fields: Any) -> Case:
    moment = at(day)
    return make_case(unit=unit, kind=kind, received_at=moment, at=moment, **fields)


def answered_after(unit: Unit, handler: User, day: date, working_days: int, kind: str) -> Case:
    """A case received on `day` and closed `working_days` working days later."""
    case = received(unit, day, kind)
    closed = CALENDAR.add_working_days(day, working_days)
    case_close(case=case, outcome="answered", by=handler, at=at(closed, 14))
    return case


@dataclass
class Seeder:
    handler: User
    rng: random.Random

    def handle(self, case: Case, day: date) -> None:
        """Do one of the things that happen to a case, picked at random."""
        later = CALENDAR.add_working_days(day, self.rng.randint(0, 25))
        choice = self.rng.randrange(7)
        if choice == 0:
            return  # never touched
        if choice == 1:
            case_acknowledge(case=case, by=self.handler, at=at(day, 15))
        elif choice == 2:
            case_reply(case=case, text="Vi tittar på det.", by=self.handler, at=at(later, 11))
        elif choice == 3:
            case_wait(case=case, by=self.handler, at=at(day, 15))
            case_start(case=case, by=self.handler, at=at(day + timedelta(days=6), 9))
            self.close(case, later + timedelta(days=6))
        elif choice == 4:
            self.close(case, later)
            case_reopen(case=case, by=self.handler, at=at(later + timedelta(days=3)))
        else:
            self.close(case, later)

    def close(self, case: Case, day: date) -> None:
        case_close(case=case, outcome="answered", by=self.handler, at=at(day, 13))

    def seed(self, units: list[Unit], first: date, days: int, count: int) -> list[Case]:
        cases = []
        for _number in range(count):
            day = first + timedelta(days=self.rng.randrange(days))
            case = received(self.rng.choice(units), day, self.rng.choice(KINDS))
            self.handle(case, day)
            cases.append(case)
        duplicate = received(units[0], first, "complaint")
        case_merge(case=duplicate, into=cases[0], by=self.handler, at=at(first, 16))
        return cases


@pytest.fixture
def frozen_today(monkeypatch: pytest.MonkeyPatch) -> date:
    """`timezone.localdate()` is `TODAY`: the pages count "the last ended periods" from
    today, the day the world was made. A date given is still converted."""
    real = timezone.localdate

    def localdate(value: datetime | None = None, timezone: Any = None) -> date:
        return real(value, timezone) if value is not None else TODAY

    monkeypatch.setattr(timezone, "localdate", localdate)
    return TODAY


@pytest.fixture
def handler(tree: Tree) -> User:
    return make_user(role=Role.CASE_HANDLER, unit=tree.kommun)


@pytest.fixture
def seeder(handler: User) -> Seeder:
    return Seeder(handler=handler, rng=random.Random(8))


@pytest.fixture
def publish_action(tree: Tree) -> Callable[..., Action]:
    """Makes an improvement action of a unit, carries it out and publishes it as "du sa –
    vi gjorde" with `text` (in English with " (en)" added); what staff wrote for
    themselves (`description`, `outcome`) stays internal."""
    manager = make_user(role=Role.UNIT_MANAGER, unit=tree.kommun)

    def publish(
        unit: Unit,
        title: str,
        text: str,
        *,
        description: str = "Intern beskrivning",
        outcome: str = "Internt utfall",
    ) -> Action:
        action = action_create(unit=unit, title=title, description=description, by=manager)
        for status in (Action.Status.DECIDED, Action.Status.IN_PROGRESS):
            action_set_status(action=action, status=status, by=manager)
        action_set_status(action=action, status=Action.Status.DONE, outcome=outcome, by=manager)
        action_publish(action=action, text_sv=text, text_en=f"{text} (en)", by=manager)
        return action

    return publish


# --- Everything the open data reads, with personal data that must never come out -------------

NAME = "Gunhild Persdotter-Testsson"
EMAIL = "gunhild.testsson@example.se"
PHONE = "070-987 65 43"
PLACE = "Hemlighetsgatan 7"
FREE_TEXT = "Min granne på Hemlighetsgatan 7 skräpar ner, ring mig"
REPLY = "Hej Gunhild, vi har pratat med din granne"
NOTE = "Intern anteckning: Gunhild är arg"
SURVEY_TEXT = "Jag heter Gunhild Persdotter och bor på Hemlighetsgatan"
MEASUREMENT_COMMENT = "Från Sigvards kalkylark"
ASSESSMENT = "Sigvard bedömde detta internt"
STAFF = {"username": "sigvard", "first_name": "Sigvard", "last_name": "Handläggarsson"}
STAFF_EMAIL = "sigvard.handlaggarsson@example.se"
FORMULA = '=HYPERLINK("http://evil.example")'
SECRETS = (
    NAME,
    EMAIL,
    PHONE,
    PLACE,
    FREE_TEXT,
    REPLY,
    NOTE,
    SURVEY_TEXT,
    MEASUREMENT_COMMENT,
    ASSESSMENT,
    "Handläggarsson",
    STAFF_EMAIL,
    "Gunhild",
)


@dataclass
class World:
    tree: Tree
    cases: list[Case]
    staff: User
    survey_round: Round
    open_round: Round
    declaration: Version


def _personal_cases(tree: Tree, staff: User, seeder: Seeder) -> list[Case]:
    cases = seeder.seed([tree.gata, tree.vatten, tree.hemtjanst], date(2026, 2, 20), 95, 60)
    for number, unit in enumerate([tree.gata, tree.gata, tree.hemtjanst]):
        case = received(
            unit,
            date(2026, 4, 7 + number),
            "complaint",
            reporter_name=NAME,
            reporter_email=EMAIL,
            reporter_phone=PHONE,
            place=PLACE,
            wants_answer=True,
        )
        case.text = FREE_TEXT
        case.save(update_fields=["text"])
        case_note(case=case, text=NOTE, by=staff, at=at(date(2026, 4, 8 + number)))
        case_reply(case=case, text=REPLY, by=staff, at=at(date(2026, 4, 9 + number)))
        cases.append(case)
    return cases


def _indicators(tree: Tree, staff: User) -> None:
    common = {"kind": "result", "definition_sv": "Andel beröm bland synpunkterna."}
    cases = Indicator.objects.create(
        unit=tree.teknik,
        code="berom",
        name_sv="Andel beröm",
        name_en="Share of praise",
        statistic="share_praise",
        source="cases",
        unit_of_measure="percent",
        min_cases=2,
        **common,
    )
    Target.objects.create(indicator=cases, year=2026, value=Decimal("30.00"))
    compute_indicator(cases, Period.parse("2026-04"), today=TODAY)
    manual = Indicator.objects.create(
        unit=tree.gata,
        code="nojd",
        name_sv="Nöjda",
        name_en="Satisfied",
        source="manual",
        unit_of_measure="percent",
        period_kind="year",
        **common,
    )
    Measurement.objects.create(
        indicator=manual,
        unit=tree.gata,
        period="2025",
        period_start=date(2025, 1, 1),
        period_end=date(2025, 12, 31),
        value=Decimal("71.00"),
        n=3,
        source="manual",
        comment=MEASUREMENT_COMMENT,
        entered_by=staff,
    )
    kolada = Indicator.objects.create(
        unit=tree.kommun,
        code="kolada",
        name_sv="E-post inom en dag",
        name_en="E-mail in a day",
        source="kolada",
        unit_of_measure="percent",
        period_kind="year",
        kolada_kpi="U00401",
        **common,
    )
    Measurement.objects.create(
        indicator=kolada,
        unit=tree.kommun,
        period="2025",
        period_start=date(2025, 1, 1),
        period_end=date(2025, 12, 31),
        value=Decimal("64.00"),
        source="kolada",
    )
    retired = Indicator.objects.create(
        unit=tree.kommun,
        code="gammal",
        name_sv="Borttaget",
        name_en="Retired",
        active=False,
        source="manual",
        unit_of_measure="count",
        **common,
    )
    Measurement.objects.create(
        indicator=retired,
        unit=tree.kommun,
        period="2026-04",
        period_start=date(2026, 4, 1),
        period_end=date(2026, 4, 30),
        value=Decimal(1),
        source="manual",
    )


def _declaration(tree: Tree, staff: User) -> Version:
    version = published_declaration(tree.gata, valid_from=date(2026, 1, 1))
    follow_up_declaration(version.declaration, today=TODAY)
    promise = version.commitments.get()
    FollowUp.objects.filter(commitment_key=promise.key).update(
        comment=ASSESSMENT, explanation=ASSESSMENT, planned_action=ASSESSMENT
    )
    return version


def _survey(tree: Tree) -> tuple[Round, Round]:
    survey = Survey.objects.create(
        unit=tree.gata, title_sv="Gatuenkät", title_en="Street survey", target_group_sv="Alla"
    )
    questions = {
        "scale": Question.objects.create(
            survey=survey, kind="scale", scale_max=5, text_sv="Nöjd?", text_en="Satisfied?"
        ),
        "yes_no": Question.objects.create(
            survey=survey, kind="yes_no", text_sv="Fick du svar?", text_en="Got an answer?"
        ),
        "age": Question.objects.create(
            survey=survey,
            kind="single",
            is_background=True,
            text_sv="Ålder",
            text_en="Age",
            options=[
                {"sv": "Ung", "en": "Young"},
                {"sv": "Äldre", "en": "Older"},
                {"sv": FORMULA, "en": FORMULA},
            ],
        ),
        "hidden": Question.objects.create(
            survey=survey, kind="scale", scale_max=5, text_sv="Intern fråga", text_en="Internal"
        ),
        "text": Question.objects.create(
            survey=survey, kind="text", text_sv="Något mer?", text_en="Anything else?"
        ),
    }
    closed = round_create(
        survey=survey,
        name="2025",
        opens_on=date(2025, 3, 1),
        closes_on=date(2025, 3, 31),
        by=None,
    )
    closed.round_questions.exclude(question__in=[questions["hidden"], questions["text"]]).update(
        is_public=True
    )
    for number in range(12):
        response_submit(
            round=closed,
            channel="paper",
            today=date(2025, 3, 15),
            answers={
                questions["scale"].pk: 1 + number % 5,
                questions["yes_no"].pk: 1 + number % 2,
                questions["age"].pk: 3 if number == 0 else 1 + number % 2,
                questions["hidden"].pk: 4,
                questions["text"].pk: SURVEY_TEXT,
            },
        )
    still_open = round_create(
        survey=survey,
        name="2026",
        opens_on=date(2026, 11, 1),
        closes_on=date(2099, 12, 31),
        by=None,
    )
    return closed, still_open


@pytest.fixture
def world(tree: Tree, seeder: Seeder) -> World:
    """Cases, indicators, a declaration and a survey, with personal data in every place
    it can be; the feedback counted."""
    staff = make_user(role=Role.CASE_HANDLER, unit=tree.kommun, email=STAFF_EMAIL, **STAFF)
    cases = _personal_cases(tree, staff, seeder)
    feedback_statistics_compute(today=TODAY)
    _indicators(tree, staff)
    declaration = _declaration(tree, staff)
    closed, still_open = _survey(tree)
    return World(tree, cases, staff, closed, still_open, declaration)
