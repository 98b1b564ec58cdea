"""Surveys of the generated municipality and their responses: a citizen survey of the
whole municipality (30 questions in five areas, as the survey benchmark's) and a user
survey of each service (15 questions), one round each March, `answers` responses in all.

Answers are drawn from each respondent's satisfaction with each question area, rising a
little each year, so indices, changes between rounds, breakdowns and the priority
matrix have something real to find; 4 % of answers are skipped and 3 % of scale answers
are "don't know". A response is only its answers (`Response.answers`, one per question
in round order) and its day; free-text answers are not generated."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np

from servicenav.cases import demo_texts as texts
from servicenav.core.generate.writer import next_id, write
from servicenav.core.progress import progress
from servicenav.surveys.models import DONT_KNOW, Area, Question, Response, Round, Survey
from servicenav.surveys.services import round_create

if TYPE_CHECKING:
    from servicenav.core.generate.organisation import Organisation
    from servicenav.core.progress import Writable
    from servicenav.organisation.models import Unit

Kind = Question.Kind
CITIZEN_SHARE = 0.3  # of all responses; the rest go to the services' user surveys
BATCH = 50_000
SKIPPED, DONT_KNOWS, PAPER = 0.04, 0.03, 0.1
AREAS = ["Bemötande", "Tillgänglighet", "Information", "Kvalitet", "Trygghet"]
BACKGROUND = [
    ("Ålder", ["16–29", "30–49", "50–64", "65–79", "80+"]),
    ("Kommundel", ["Centrum", "Norr", "Söder", "Öster", "Väster", "Råneå"]),
    ("Hur ofta använder du tjänsten?", ["Varje vecka", "Varje månad", "Mer sällan"]),
]


@dataclass
class Shape:
    """How many scale questions each area has, and how many of the other kinds."""

    areas: tuple[int, ...]
    overall: int
    yes_no: int
    background: int


CITIZEN = Shape(areas=(5, 5, 4, 4, 4), overall=3, yes_no=2, background=3)
USER = Shape(areas=(4, 4, 4), overall=1, yes_no=0, background=2)


def generate_surveys(
    organisation: Organisation,
    *,
    answers: int,
    seed: int,
    years: int,
    until: date,
    stdout: Writable,
) -> int:
    """Make the surveys and their rounds and write `answers` responses; returns the
    number of rounds."""
    rng = np.random.default_rng([seed, 1_000_003])  # apart from the cases' draws
    services = list(organisation.by_service)
    shares = np.array([texts.UNITS[service][0] for service in services], dtype=np.float64)
    shares = np.concatenate([[CITIZEN_SHARE], (1 - CITIZEN_SHARE) * shares / shares.sum()])
    counts = rng.multinomial(answers, shares)
    units = [organisation.top] + [
        organisation.receivers[organisation.by_service[s][0]].unit for s in services
    ]
    rounds: list[tuple[Round, list[Question], int, float]] = []
    for number, (unit, count) in enumerate(zip(units, counts.tolist(), strict=True)):
        survey, questions = _survey(unit, CITIZEN if number == 0 else USER)
        marches = _marches(until, years)
        growth = np.linspace(1.0, 1.3, len(marches))  # more answer each year
        per_round = rng.multinomial(count, growth / growth.sum()).tolist()
        for year, (opens, closes) in enumerate(marches):
            made = round_create(
                survey=survey, name=str(opens.year), opens_on=opens, closes_on=closes, by=None
            )
            rounds.append((made, questions, per_round[year], 0.08 * year))
    response_id = next_id(Response)
    for made, questions, count, lift in progress(rounds, label="Survey rounds", stream=stdout):
        for start in range(0, count, BATCH):
            size = min(BATCH, count - start)
            rows = _responses(rng, made, questions, size, lift, response_id)
            write(Response, ["id", "round_id", "answers", "channel", "submitted_on"], rows)
            response_id += size
    return len(rounds)


def _marches(until: date, years: int) -> list[tuple[date, date]]:
    """The last `years` Marches that ended before `until`, oldest first."""
    last = until.year if until > date(until.year, 3, 31) else until.year - 1
    return [(date(year, 3, 1), date(year, 3, 31)) for year in range(last - years + 1, last + 1)]


def _survey(unit: Unit, shape: Shape) -> tuple[Survey, list[Question]]:
    """The survey and its questions in order, as an editor would have made them."""
    citizens = shape is CITIZEN
    survey = Survey.objects.create(
        unit=unit,
        title_sv="Medborgarenkät" if citizens else f"Brukarundersökning {unit.name_sv}",
        title_en="Citizen survey" if citizens else f"User survey {unit.name_en}",
        target_group_sv="Invånare 16 år och äldre"
        if citizens
        else f"Den som använder {unit.name_sv}",
    )
    questions: list[Question] = []

    def add(kind: str, text: str, **fields: Any) -> None:
        question = Question.objects.create(
            survey=survey, kind=kind, text_sv=text, text_en=text, order=len(questions), **fields
        )
        questions.append(question)

    for number, count in enumerate(shape.areas):
        area = Area.objects.create(
            survey=survey, name_sv=AREAS[number], name_en=AREAS[number], order=number
        )
        for question in range(count):
            add(
                Kind.SCALE,
                f"{AREAS[number]}: påstående {question + 1}",
                area=area,
                scale_max=5,
                allows_dont_know=True,
            )
    for number in range(shape.overall):
        add(Kind.SCALE, f"Helhetsbetyg {number + 1}", scale_max=10, is_overall=True)
    for number in range(shape.yes_no):
        add(Kind.YES_NO, f"Fick du den hjälp du behövde? ({number + 1})")
    for text, options in BACKGROUND[: shape.background]:
        add(Kind.SINGLE, text, options=[{"sv": o, "en": o} for o in options], is_background=True)
    return survey, questions


def _responses(
    rng: np.random.Generator,
    round: Round,
    questions: list[Question],
    count: int,
    lift: float,
    first_id: int,
) -> list[tuple[Any, ...]]:
    matrix = _answers(rng, questions, count, lift)
    rows: list[list[Any]] = matrix.tolist()
    for i, j in np.argwhere(rng.random(matrix.shape) < SKIPPED).tolist():
        rows[i][j] = None
    days = (round.closes_on - round.opens_on).days + 1
    submitted = [
        (round.opens_on + timedelta(days=day)).isoformat()
        for day in rng.integers(0, days, count).tolist()
    ]
    channels = np.where(
        rng.random(count) < PAPER, Response.Channel.PAPER, Response.Channel.WEB
    ).tolist()
    return list(
        zip(
            range(first_id, first_id + count),
            [round.pk] * count,
            [json.dumps(row) for row in rows],
            channels,
            submitted,
            strict=True,
        )
    )


def _answers(
    rng: np.random.Generator, questions: list[Question], count: int, lift: float
) -> np.ndarray:
    """One row per respondent: satisfaction per area drives the area's questions, the
    areas together drive the overall ones, general satisfaction the yes/no ones."""
    areas = sorted({q.area_id for q in questions if q.area_id is not None})
    general = rng.normal(0, 0.8, count)
    satisfaction = general[:, None] + rng.normal(0, 0.7, (count, len(areas))) + lift
    weights = np.linspace(2, 1, len(areas))
    driver = satisfaction @ (weights / weights.sum())
    columns = []
    for question in questions:
        if question.kind == Kind.SCALE and question.area_id is not None:
            mood = satisfaction[:, areas.index(question.area_id)]
            answer = np.clip(np.rint(3.4 + mood + rng.normal(0, 0.6, count)), 1, 5)
            columns.append(np.where(rng.random(count) < DONT_KNOWS, DONT_KNOW, answer))
        elif question.kind == Kind.SCALE:
            columns.append(np.clip(np.rint(6.5 + 1.8 * driver + rng.normal(0, 1, count)), 1, 10))
        elif question.kind == Kind.YES_NO:
            columns.append(np.where(general + rng.normal(0, 1, count) > -0.3, 1, 2))
        else:
            columns.append(rng.integers(1, len(question.options) + 1, count))
    return np.column_stack(columns).astype(np.int64)
