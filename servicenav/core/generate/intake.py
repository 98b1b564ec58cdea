"""What comes in: for every generated case, when it was received, by which unit, through
which channel and what it says, drawn as whole arrays.

Feedback follows the week (fewer cases at weekends), the year (more in winter, and twice
the snow-clearing complaints) and grows by 5 % a year; phone calls, visits and letters
arrive on working days in office hours. Each case is one of its service's texts from the
demo (`cases.demo_texts`), in season where the text has one, so kinds, categories and
outcomes come in the proportions a real service sees."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from servicenav.cases import demo_texts as texts
from servicenav.cases.models import Channel, Kind, ReferenceCounter
from servicenav.core.generate.timeline import DAY, HOUR

if TYPE_CHECKING:
    from collections.abc import Iterable

    from servicenav.cases.demo_texts import Text
    from servicenav.core.generate.organisation import Organisation
    from servicenav.kpis.case_statistics import BoolArray, IntArray, WorkingDays

KINDS = {Kind.COMPLAINT: 45, Kind.QUESTION: 20, Kind.PRAISE: 20, Kind.SUGGESTION: 15}
CHANNELS = {
    Channel.WEB: 47,
    Channel.PHONE: 17,
    Channel.EMAIL: 15,
    Channel.VISIT: 6,
    Channel.SOCIAL: 7,
    Channel.LETTER: 5,
    Channel.API: 3,
}
CHANNEL_LIST = list(CHANNELS)
OFFICE = [CHANNEL_LIST.index(channel) for channel in (Channel.PHONE, Channel.VISIT, Channel.LETTER)]
HOURS = np.array([7, 8, 9, 10, 12, 13, 15, 17, 19, 20, 21, 22])
WEEKEND_SHARE, WINTER_LIFT, GROWTH = 0.36, 1.15, 1.05
AT_SERVICE = 0.2  # the rest of a service's cases go to its district teams
DUPLICATES = 0.015  # of complaints: merged into an earlier case of the same unit
DUPLICATE_WITHIN = 21 * DAY


class Catalog:
    """Every service's texts in one flat list, with how likely each is in each month."""

    def __init__(self) -> None:
        self.texts: list[tuple[str, Text]] = [
            (service, text)
            for service, service_texts in texts.TEXTS.items()
            for text in service_texts
        ]
        self.kind = np.array([Kind.values.index(text.kind) for _service, text in self.texts])

    def of(self, service: str) -> IntArray:
        return np.array([i for i, (owner, _text) in enumerate(self.texts) if owner == service])

    def weights(self, service: str, month: int) -> npt.NDArray[np.float64]:
        """Kinds in their usual shares, texts out of season ten times less likely."""
        chosen = [self.texts[i][1] for i in self.of(service)]
        per_kind = {kind: sum(text.kind == kind for text in chosen) for kind in KINDS}
        weights = np.array(
            [
                KINDS[Kind(text.kind)] / per_kind[text.kind] * (1 if month in text.months else 0.1)
                for text in chosen
            ]
        )
        return weights / weights.sum()


@dataclass
class Intake:
    """One entry per case, in the order received (which is also id order)."""

    received: IntArray  # local seconds (see `timeline`)
    receiver: IntArray  # position in `Organisation.receivers`
    text: IntArray  # position in `Catalog.texts`
    channel: IntArray  # position in `CHANNEL_LIST`

    def __len__(self) -> int:
        return int(self.received.size)


def plan_intake(
    rng: np.random.Generator,
    organisation: Organisation,
    catalog: Catalog,
    *,
    count: int,
    first_day: int,
    last_day: int,
    days: WorkingDays,
) -> Intake:
    ordinals = np.arange(first_day, last_day + 1, dtype=np.int64)
    months = np.array([date.fromordinal(day).month for day in ordinals.tolist()])
    weight = np.where((ordinals - 1) % 7 >= 5, WEEKEND_SHARE, 1.0)
    weight *= np.where(np.isin(months, list(texts.WINTER)), WINTER_LIFT, 1.0)
    weight *= GROWTH ** ((ordinals - last_day) / 365.25)
    day = rng.choice(ordinals, size=count, p=weight / weight.sum())
    month = months[day - first_day]
    receiver, text = _receivers_and_texts(rng, organisation, catalog, month)
    channel = rng.choice(len(CHANNEL_LIST), size=count, p=_shares(CHANNELS.values()))
    office = np.isin(channel, OFFICE)
    while True:  # calls, visits and letters: on the working day before a closed one
        closed = office & ~days.is_working(day)
        if not closed.any():
            break
        day = np.where(closed, day - 1, day)
    hours = np.where(
        office,
        np.where(
            channel == CHANNEL_LIST.index(Channel.LETTER),
            rng.uniform(8, 10, count),
            rng.uniform(8, 16.5, count),
        ),
        rng.choice(HOURS, count) + rng.random(count),
    )
    received = day * DAY + (hours * HOUR).astype(np.int64)
    order = np.argsort(received, kind="stable")
    return Intake(received[order], receiver[order], text[order], channel[order])


def _shares(weights: Iterable[float]) -> npt.NDArray[np.float64]:
    array = np.array(list(weights), dtype=np.float64)
    return array / array.sum()


def _receivers_and_texts(
    rng: np.random.Generator, organisation: Organisation, catalog: Catalog, month: IntArray
) -> tuple[IntArray, IntArray]:
    services = list(organisation.by_service)
    shares = np.array([texts.UNITS[service][0] for service in services], dtype=float)
    snowy = shares * np.where(np.array(services) == "gata-park", 2.0, 1.0)
    count = month.size
    service = np.where(
        np.isin(month, list(texts.WINTER)),
        rng.choice(len(services), count, p=snowy / snowy.sum()),
        rng.choice(len(services), count, p=shares / shares.sum()),
    )
    receiver = np.empty(count, dtype=np.int64)
    text = np.empty(count, dtype=np.int64)
    for position, slug in enumerate(services):
        mine = np.flatnonzero(service == position)
        units = organisation.by_service[slug]
        teams = np.array(units[1:] or units[:1])
        at_service = rng.random(mine.size) < AT_SERVICE
        receiver[mine] = np.where(at_service, units[0], rng.choice(teams, mine.size))
        for month_number in range(1, 13):
            group = mine[month[mine] == month_number]
            chosen = rng.choice(catalog.of(slug), group.size, p=catalog.weights(slug, month_number))
            text[group] = chosen
    return receiver, text


def references(received: IntArray) -> tuple[list[str], dict[int, int]]:
    """Reference numbers as `case_submit` gives them: per year received, in order,
    continuing each year's counter. Returns them and each year's last number."""
    years = np.array([date.fromordinal(day).year for day in (received // DAY).tolist()])
    numbers = np.empty(received.size, dtype=np.int64)
    last: dict[int, int] = {}
    existing = dict(ReferenceCounter.objects.values_list("year", "last"))
    for year in np.unique(years).tolist():
        mine = np.flatnonzero(years == year)
        start = existing.get(year, 0)
        numbers[mine] = start + 1 + np.arange(mine.size)
        last[year] = start + mine.size
    return [
        f"S-{year}-{number:05d}"
        for year, number in zip(years.tolist(), numbers.tolist(), strict=True)
    ], last


def duplicates(
    rng: np.random.Generator, intake: Intake, catalog: Catalog
) -> tuple[BoolArray, IntArray]:
    """Which cases are duplicates of an earlier complaint to the same unit within three
    weeks, and of which (position in the intake; -1 for none). A case merged into is
    never itself a duplicate."""
    count = len(intake)
    complaint = catalog.kind[intake.text] == Kind.values.index(Kind.COMPLAINT)
    candidate = complaint & (rng.random(count) < DUPLICATES)
    order = np.lexsort((intake.received, intake.receiver))
    previous = np.full(count, -1, dtype=np.int64)
    same_unit = intake.receiver[order[1:]] == intake.receiver[order[:-1]]
    previous[order[1:]] = np.where(same_unit, order[:-1], -1)
    found = previous >= 0
    earlier = np.where(found, previous, 0)
    recent = intake.received - intake.received[earlier] < DUPLICATE_WITHIN
    merged = candidate & found & recent & ~candidate[earlier]
    return merged, np.where(merged, previous, -1)
