"""Service declarations on the public pages: how many promises were kept in their latest
follow-up, and each promise of a unit's declarations period by period."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Q

from servicenav.core.periods import Period, PeriodKind
from servicenav.declarations.models import Commitment, FollowUp, Version
from servicenav.declarations.selectors import (
    TrackRecord,
    share_is_public,
    track_records,
    track_window,
)
from servicenav.public.figures import minimum_cases

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from servicenav.organisation.models import Unit


@dataclass(frozen=True)
class PromiseTally:
    """Of the promises in force, how many were kept in their latest follow-up (among those
    judged then), and how many could not be judged or were not followed up yet."""

    promises: int = 0
    kept: int = 0
    judged: int = 0
    latest_end: date | None = None

    @property
    def unjudged(self) -> int:
        return self.promises - self.judged


def _in_force(units: Iterable[Unit]) -> list[Version]:
    """The versions in force of the declarations of `units` and the units below them."""
    paths = Q(pk__in=[])
    for unit in units:
        paths |= Q(declaration__unit__path__startswith=unit.path)
    return list(
        Version.objects.filter(
            paths, status=Version.Status.PUBLISHED, declaration__unit__active=True
        )
        .select_related("declaration__unit")
        .order_by("declaration__unit__path", "service_sv", "pk")
    )


def _commitments(versions: Sequence[Version]) -> dict[int, list[Commitment]]:
    """The promises of each version, by version id (the version set on each): one query."""
    by_id = {version.pk: version for version in versions}
    by_version: dict[int, list[Commitment]] = {pk: [] for pk in by_id}
    for commitment in Commitment.objects.filter(version__in=list(versions)):
        commitment.version = by_id[commitment.version_id]
        by_version[commitment.version_id].append(commitment)
    return by_version


def promise_tallies(units: Sequence[Unit], today: date) -> dict[int, PromiseTally]:
    """Each unit's promises (with the units below it) kept in their latest follow-up:
    three queries."""
    versions = _in_force(units)
    by_version = _commitments(versions)
    commitments = [c for version in versions for c in by_version[version.pk]]
    records = track_records(commitments, today=today)
    tallies = {}
    for unit in units:
        mine = [c for c in commitments if c.version.declaration.unit.path.startswith(unit.path)]
        latest = [records[c.key].latest for c in mine if records[c.key].latest_is_judged]
        tallies[unit.pk] = PromiseTally(
            promises=len(mine),
            kept=sum(1 for one in latest if one and one.result == FollowUp.Result.KEPT),
            judged=len(latest),
            latest_end=max((one.period_end for one in latest if one), default=None),
        )
    return tallies


@dataclass(frozen=True)
class PromiseCell:
    """One period of a promise's history; `follow_up` None when it was not followed up."""

    period: Period
    follow_up: FollowUp | None
    share_shown: bool

    @property
    def result(self) -> str:
        return self.follow_up.result if self.follow_up else ""

    @property
    def share_hidden(self) -> bool:
        """Judged, on cases, but too few of them for the public to see the share."""
        judged = self.result in (FollowUp.Result.KEPT, FollowUp.Result.NOT_KEPT)
        return judged and not self.share_shown and bool(self.follow_up and self.follow_up.cases)


@dataclass(frozen=True)
class PromiseHistory:
    commitment: Commitment
    track: TrackRecord
    cells: list[PromiseCell]


@dataclass(frozen=True)
class DeclarationHistory:
    """A declaration in force of the unit, each promise over the window's periods (oldest
    first)."""

    version: Version
    periods: list[Period]
    promises: list[PromiseHistory]


def declaration_histories(unit: Unit, today: date) -> list[DeclarationHistory]:
    """The unit's own declarations in force with each promise's follow-up period by
    period: four queries."""
    versions = [v for v in _in_force([unit]) if v.declaration.unit_id == unit.pk]
    by_version = _commitments(versions)
    commitments = [c for version in versions for c in by_version[version.pk]]
    records = track_records(commitments, today=today)
    windows = {
        kind: track_window(kind, today)[::-1]
        for kind in {PeriodKind(v.period_kind) for v in versions}
    }
    codes = {period.code for window in windows.values() for period in window}
    follow_ups = {
        (row.commitment_key, row.period): row
        for row in FollowUp.objects.filter(
            commitment_key__in=[c.key for c in commitments], period__in=codes
        )
    }
    minimum = minimum_cases()
    histories = []
    for version in versions:
        promises = by_version[version.pk]
        window = _followed_window(windows[PeriodKind(version.period_kind)], promises, follow_ups)
        histories.append(
            DeclarationHistory(
                version,
                window,
                [
                    PromiseHistory(c, records[c.key], _cells(c, window, follow_ups, minimum))
                    for c in promises
                ],
            )
        )
    return histories


FollowUps = dict[tuple[uuid.UUID, str], FollowUp]


def _followed_window(
    window: list[Period], promises: Sequence[Commitment], follow_ups: FollowUps
) -> list[Period]:
    """`window` from the first period any of `promises` was followed up in (the whole
    window when none was yet): no column of periods before the declaration was followed."""
    for start, period in enumerate(window):
        if any((c.key, period.code) in follow_ups for c in promises):
            return window[start:]
    return window


def _cells(
    commitment: Commitment, window: Sequence[Period], follow_ups: FollowUps, minimum: int
) -> list[PromiseCell]:
    cells = []
    for period in window:
        row = follow_ups.get((commitment.key, period.code))
        cells.append(PromiseCell(period, row, share_is_public(row, minimum)))
    return cells
