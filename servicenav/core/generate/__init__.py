"""Realistic generated data at any size, for benchmarks: `manage.py generate_data`.

A municipality (the demo's administrations and services, split into district teams),
its categories, staff and deadline rules; `cases` cases received over the `years` years
before `until`, each with the history the services would have written (registered,
acknowledged or assigned, started, noted, waiting, replied, closed, reopened, merged,
published) and the clocks they would have set; key performance indicators with targets;
and surveys with a round each year and `answers` responses (`surveys`). The same seed,
sizes and `until` give the same data.

Why not the services, as the demo does: they write a case, its events and its audit
entries one statement at a time, which is right for one case and hours for a million.
Here each step is drawn for a whole batch of cases at once with numpy (`stories`), from
the same rules, and written with COPY (`writer`). What is left out: the audit log of
these cases, e-mail (no one is written to), and free-text survey answers."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import numpy as np
from django.db import transaction

from servicenav.cases.models import Case, CaseEvent, Channel, Kind, ReferenceCounter
from servicenav.core.generate import records, stories
from servicenav.core.generate.indicators import create_indicators
from servicenav.core.generate.intake import (
    CHANNEL_LIST,
    Catalog,
    Intake,
    duplicates,
    plan_intake,
    references,
)
from servicenav.core.generate.organisation import TOP_SLUG, Organisation, build_organisation
from servicenav.core.generate.surveys import generate_surveys
from servicenav.core.generate.timeline import DAY, Timeline
from servicenav.core.generate.writer import analyse, loading, next_id, reset_sequences, write
from servicenav.core.models import DemoDataset
from servicenav.core.progress import progress
from servicenav.core.selectors import working_calendar
from servicenav.kpis.case_statistics import WorkingDays
from servicenav.organisation.models import Unit
from servicenav.surveys.models import Response

if TYPE_CHECKING:
    from servicenav.core.progress import Writable
    from servicenav.kpis.case_statistics import BoolArray, IntArray

BATCH = 50_000


class AlreadyGenerated(Exception):
    """The database already holds generated data."""


@dataclass
class Summary:
    units: int
    cases: int
    events: int
    open: int
    indicators: int
    rounds: int
    responses: int
    seconds: float


def generate(
    *, cases: int, answers: int = 0, seed: int, years: int, until: date, stdout: Writable
) -> Summary:
    """Generate the organisation, `cases` cases and their history, the indicators, and
    the surveys with `answers` responses in all."""
    if Unit.objects.filter(slug=TOP_SLUG).exists():
        raise AlreadyGenerated
    started = time.perf_counter()
    with transaction.atomic():
        organisation = build_organisation()
        with loading(Case, CaseEvent, Response):
            written = _cases(
                organisation, cases=cases, seed=seed, years=years, until=until, stdout=stdout
            )
            rounds = generate_surveys(
                organisation, answers=answers, seed=seed, years=years, until=until, stdout=stdout
            )
            reset_sequences(Case, CaseEvent, Response)
        first_year = date.fromordinal(until.toordinal() - round(365.25 * years)).year
        indicators = create_indicators(organisation, range(first_year, until.year + 1))
        DemoDataset.objects.get_or_create()
    analyse(Case, CaseEvent, Response)
    still_open = Case.objects.filter(unit__path__startswith=organisation.top.path).open().count()
    return Summary(
        units=len(organisation.receivers) + len(organisation.administrations) + 1,
        cases=cases,
        events=written,
        open=still_open,
        indicators=len(indicators),
        rounds=rounds,
        responses=answers,
        seconds=time.perf_counter() - started,
    )


def _cases(
    organisation: Organisation, *, cases: int, seed: int, years: int, until: date, stdout: Writable
) -> int:
    """Write the cases in batches; returns how many events were written."""
    last_day = until.toordinal() - 1
    first_day = until.toordinal() - round(365.25 * years)
    days = WorkingDays(working_calendar(), first_day - 30, last_day + 90)
    rng = np.random.default_rng(seed)
    catalog = Catalog()
    intake = plan_intake(
        rng, organisation, catalog, count=cases, first_day=first_day, last_day=last_day, days=days
    )
    whole = _Whole(
        intake=intake,
        ids=next_id(Case) + np.arange(cases, dtype=np.int64),
        references=references(intake.received),
        duplicates=duplicates(rng, intake, catalog),
    )
    first_event = event_id = next_id(CaseEvent)
    starts = list(range(0, cases, BATCH))
    for number, start in enumerate(progress(starts, label="Cases", stream=stdout)):
        timeline = Timeline(days, np.random.default_rng([seed, number]))
        batch = _batch(organisation, catalog, timeline, whole, slice(start, start + BATCH), until)
        handling = records.handle(batch, timeline.rng)
        write(Case, records.CASE_FIELDS, records.case_rows(batch, handling))
        events = records.event_rows(batch, handling, event_id)
        write(CaseEvent, records.EVENT_FIELDS, events)
        event_id += len(events)
    for year, last in whole.references[1].items():
        ReferenceCounter.objects.update_or_create(year=year, defaults={"last": last})
    return event_id - first_event


@dataclass
class _Whole:
    """What is drawn for all cases before they are told in batches."""

    intake: Intake
    ids: IntArray
    references: tuple[list[str], dict[int, int]]
    duplicates: tuple[BoolArray, IntArray]


def _batch(
    organisation: Organisation,
    catalog: Catalog,
    timeline: Timeline,
    whole: _Whole,
    part: slice,
    until: date,
) -> records.Batch:
    """Tell the stories of the cases in `part`."""
    intake, numbers = whole.intake, whole.references[0]
    duplicate, duplicate_of = whole.duplicates
    receiver, text = intake.receiver[part], intake.text[part]
    kinds = catalog.kind[text]
    rules = np.array(
        [[r.deadlines[kind] for kind in Kind.values] for r in organisation.receivers],
        dtype=np.int64,
    )  # receiver × kind × (acknowledge, answer)
    citizens = records.citizens(timeline.rng, intake.channel[part])
    case = stories.Facts(
        received=intake.received[part],
        registered_later=np.select(
            [np.isin(intake.channel[part], later) for later in _REGISTERED_LATER], [1, 2], 0
        ),
        acknowledge_days=rules[receiver, kinds, 0],
        answer_days=rules[receiver, kinds, 1],
        has_contact=citizens.has_contact,
        duplicate=duplicate[part].copy(),
    )
    horizon = until.toordinal() * DAY
    steps = stories.tell(timeline, case, horizon)
    target = np.where(case.duplicate, duplicate_of[part], 0)
    return records.Batch(
        ids=whole.ids[part],
        references=numbers[part],
        receiver=receiver,
        text=text,
        channel=intake.channel[part],
        received=intake.received[part],
        citizens=citizens,
        steps=steps,
        merged_into=np.where(case.duplicate, whole.ids[target], -1),
        merged_into_reference=[
            numbers[t] if m else ""
            for t, m in zip(target.tolist(), case.duplicate.tolist(), strict=True)
        ],
        horizon=horizon,
        organisation=organisation,
        catalog=catalog,
        timeline=timeline,
    )


# Registered a few minutes after it came (a call, a visit), or days later (a letter, an
# e-mail); the rest are registered as they arrive.
_REGISTERED_LATER = [
    [CHANNEL_LIST.index(Channel.PHONE), CHANNEL_LIST.index(Channel.VISIT)],
    [CHANNEL_LIST.index(Channel.LETTER), CHANNEL_LIST.index(Channel.EMAIL)],
]
