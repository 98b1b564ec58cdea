"""The database of the load benchmark (`bench.load`) and what its workloads need in it.

It is a PostgreSQL database of its own beside the one DATABASE_URL names:
`<name>_load_<cases>` (or BENCH_LOAD_DB), filled once by `generate_data` with BENCH_CASES
cases and BENCH_ANSWERS survey answers (seed 1) and kept, since a million cases take
minutes: a later run of the same size reuses it; another size, or BENCH_FRESH=1, builds
it again. The table `bench_generated` says which size it holds once generation has ended,
so an interrupted run is never taken for a finished one.

Each run then migrates it (new migrations of the application apply), and makes sure of
what the workloads use: the baseline table, an Open311 key, a handler's password, a survey
round open today with an open link, and a survey round of 100,000 responses to analyse."""

from __future__ import annotations

import os
import secrets
import time
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg

MARKER = "bench_generated"
BASELINE_ROWS = 1_000_000
OPEN_SURVEY = "Benchmark: open round"
ANALYSED_SURVEY = "Benchmark: analysis"
SAMPLE_REFERENCES = 1000
SERVICE_CODES = 5


@dataclass(frozen=True)
class LoadDatabase:
    url: str
    name: str
    cases: int
    answers: int


def load_database(*, cases: int, answers: int) -> LoadDatabase:
    """Where the benchmark's data lives, next to DATABASE_URL's database."""
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith(("postgres://", "postgresql://")):
        raise SystemExit(
            "The load benchmark runs against PostgreSQL: set DATABASE_URL, e.g. "
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench make bench"
        )
    parts = urlsplit(base)
    name = os.environ.get("BENCH_LOAD_DB") or f"{parts.path.strip('/') or 'bench'}_load_{cases}"
    url = urlunsplit(parts._replace(path=f"/{name}"))
    return LoadDatabase(url=url, name=name, cases=cases, answers=answers)


def _server(database: LoadDatabase) -> psycopg.Connection[Any]:
    """A connection to the server's own `postgres` database, to create and drop ours."""
    parts = urlsplit(database.url)
    return psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True)


def _holds_generated(database: LoadDatabase) -> bool:
    with psycopg.connect(database.url) as connection:
        found = connection.execute("SELECT to_regclass(%s)", [MARKER]).fetchone()
        if found is None or found[0] is None:
            return False
        size = connection.execute(f"SELECT cases, answers FROM {MARKER}").fetchone()  # noqa: S608
    return size == (database.cases, database.answers)


def database_reusable(database: LoadDatabase, *, fresh: bool) -> bool:
    """True when the database already holds the generated data of this size; otherwise
    it is (re)created empty."""
    with _server(database) as server:
        exists = server.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [database.name]
        ).fetchone()
        if exists and not fresh and _holds_generated(database):
            return True
        quoted = psycopg.sql.Identifier(database.name)
        if exists:
            server.execute(psycopg.sql.SQL("DROP DATABASE {} WITH (FORCE)").format(quoted))
        server.execute(psycopg.sql.SQL("CREATE DATABASE {}").format(quoted))
    return False


def fill(database: LoadDatabase, today: date) -> float:
    """Generate the municipality and compute what its public pages read; seconds taken."""
    from django.db import connection

    from bench.harness import compute_public_figures, generated

    started = time.perf_counter()
    generated(cases=database.cases, answers=database.answers, until=today, check_size=False)
    compute_public_figures(today)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {MARKER} (cases bigint, answers bigint)")
        cursor.execute(
            f"INSERT INTO {MARKER} VALUES (%s, %s)",  # noqa: S608
            [database.cases, database.answers],
        )
    return time.perf_counter() - started


def ensure_baseline_table() -> None:
    """`bench_row` with a million rows, for the one-INSERT and one-SELECT baselines."""
    from django.db import connection

    from bench.baselines import TABLE

    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {TABLE} (id bigserial PRIMARY KEY, "
            "payload text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())"
        )
        cursor.execute(f"SELECT count(*) FROM (SELECT 1 FROM {TABLE} LIMIT 1) AS one")  # noqa: S608
        if cursor.fetchone()[0] == 0:
            cursor.execute(
                f"INSERT INTO {TABLE} (payload) SELECT 'row ' || n "  # noqa: S608
                "FROM generate_series(1, %s) AS n",
                [BASELINE_ROWS],
            )
            cursor.execute(f"ANALYZE {TABLE}")


@dataclass(frozen=True)
class Fixtures:
    """What the workloads send: ids, keys and form fields found or made in the database."""

    unit_pk: int  # a unit the web form files feedback to
    service_code: str  # the Open311 service POSTed to
    service_codes: list[str]  # the busiest services, for the filtered list
    references: list[str]  # a random sample of cases, for GET one
    api_key: str
    handler_username: str
    handler_password: str
    handler_unit_pk: int
    survey_token: str  # the open link of a round open today
    survey_answers: dict[str, str]  # a complete, valid answer to each of its questions
    analysed_round: Any
    compared_round: Any


def fixtures(today: date) -> Fixtures:
    from django.db.models import Count

    from servicenav.api.services import api_key_create
    from servicenav.cases.models import Case, Category

    # Services without required questions, so that one POST body fits them all.
    busiest = list(
        Category.objects.filter(active=True, unit__active=True)
        .exclude(attributes__required=True)
        .annotate(count=Count("case"))
        .order_by("-count", "pk")[:SERVICE_CODES]
    )
    if not busiest:
        raise SystemExit("The generated municipality has no active categories.")
    references = list(
        Case.objects.order_by("?").values_list("reference", flat=True)[:SAMPLE_REFERENCES]
    )
    _key, clear_key = api_key_create(name="bench.load", by=None)
    handler, password, handler_unit_pk = _handler_with_password()
    token, answers = _open_round(today)
    analysed, compared = _analysed_rounds()
    return Fixtures(
        unit_pk=busiest[0].unit_id,
        service_code=str(busiest[0].pk),
        service_codes=[str(category.pk) for category in busiest],
        references=references,
        api_key=clear_key,
        handler_username=handler.username,
        handler_password=password,
        handler_unit_pk=handler_unit_pk,
        survey_token=token,
        survey_answers=answers,
        analysed_round=analysed,
        compared_round=compared,
    )


def _handler_with_password() -> tuple[Any, str, int]:
    """The case handler of the unit with the most open cases, given a password of this run
    (generated staff have none), so that the script can log in as them."""
    from django.db.models import Count, Q

    from servicenav.cases.models import Status
    from servicenav.organisation.models import Role, RoleAssignment

    assignment = (
        RoleAssignment.objects.filter(role=Role.CASE_HANDLER, user__is_active=True)
        .annotate(open=Count("unit__cases", filter=~Q(unit__cases__status=Status.CLOSED)))
        .order_by("-open", "pk")
        .select_related("user")
        .first()
    )
    if assignment is None:
        raise SystemExit("The generated municipality has no case handlers.")
    user = assignment.user
    password = secrets.token_urlsafe(18)
    user.set_password(password)
    user.save(update_fields=["password"])
    return user, password, assignment.unit_id


def _open_round(today: date) -> tuple[str, dict[str, str]]:
    """A round of a 30-question survey that is open today and takes answers from anyone
    with its link: its token and one valid answer to every question."""
    from bench.survey_analysis import build_survey
    from servicenav.organisation.models import Unit
    from servicenav.surveys.forms import field_name
    from servicenav.surveys.models import Question, Round, Survey
    from servicenav.surveys.services import round_create

    survey = Survey.objects.filter(title_sv=OPEN_SURVEY).first()
    if survey is None:
        survey, _questions = build_survey(Unit.objects.get(parent=None), OPEN_SURVEY)
    open_round = (
        Round.objects.filter(survey=survey, opens_on__lte=today, closes_on__gte=today)
        .filter(open_link=True)
        .first()
    )
    if open_round is None:
        open_round = round_create(
            survey=survey,
            name=f"Benchmark {today.isoformat()}",
            opens_on=today - timedelta(days=1),
            closes_on=today + timedelta(days=365),
            by=None,
        )
    first_choice: dict[str, str] = {Question.Kind.SCALE: "3", Question.Kind.YES_NO: "1"}
    answers = {
        field_name(question): first_choice.get(question.kind, "1")
        for question in open_round.questions.all()
    }
    return open_round.link_token, answers


def _analysed_rounds() -> tuple[Any, Any]:
    """The survey of `bench.survey_analysis` (100,000 responses to 30 questions, compared
    with an earlier round of 20,000), made once in this database: latest and earlier round."""
    from bench.survey_analysis import filled_rounds
    from servicenav.organisation.models import Unit
    from servicenav.surveys.models import Round

    rounds = list(Round.objects.filter(survey__title_sv=ANALYSED_SURVEY).order_by("-opens_on"))
    if len(rounds) == 2:  # the latest and the earlier round
        return rounds[0], rounds[1]
    latest, earlier, _questions = filled_rounds(Unit.objects.get(parent=None), ANALYSED_SURVEY)
    return latest, earlier
