"""Reads of service declarations for the public pages and for linking feedback to a promise.

Only published and archived versions are ever read here: drafts, versions waiting for
approval and approved versions not yet in force stay on the staff side. Nothing here
reads who wrote, approved or assessed anything: the public side never names staff."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import groupby
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from servicenav.cases.models import Case, Kind
from servicenav.core.periods import Period, PeriodKind
from servicenav.declarations.models import Commitment, FollowUp, Measure, Version
from servicenav.organisation.models import Unit
from servicenav.public.figures import minimum_cases

if TYPE_CHECKING:
    import uuid
    from collections.abc import Iterable

    from django.db.models import QuerySet
    from django.utils.functional import Promise

# How many ended periods a promise's track record covers.
TRACK_PERIODS = 12
PUBLIC_STATUSES = (Version.Status.PUBLISHED, Version.Status.ARCHIVED)
# A primary key longer than this is not one (and would overflow the database's integer).
MAX_PK_DIGITS = 18

# "We kept this promise 11 of 12 months": the count that picks the plural is `judged`.
KEPT_OF: dict[PeriodKind, Promise] = {
    PeriodKind.MONTH: ngettext_lazy(
        "We kept this promise %(kept)d of %(judged)d month.",
        "We kept this promise %(kept)d of %(judged)d months.",
        "judged",
    ),
    PeriodKind.QUARTER: ngettext_lazy(
        "We kept this promise %(kept)d of %(judged)d quarter.",
        "We kept this promise %(kept)d of %(judged)d quarters.",
        "judged",
    ),
    PeriodKind.TERTIAL: ngettext_lazy(
        "We kept this promise %(kept)d of %(judged)d tertial.",
        "We kept this promise %(kept)d of %(judged)d tertials.",
        "judged",
    ),
    PeriodKind.YEAR: ngettext_lazy(
        "We kept this promise %(kept)d of %(judged)d year.",
        "We kept this promise %(kept)d of %(judged)d years.",
        "judged",
    ),
}
TOO_FEW_CASES: dict[PeriodKind, Promise] = {
    PeriodKind.MONTH: ngettext_lazy(
        "Too few cases to judge in %(count)d month.",
        "Too few cases to judge in %(count)d months.",
        "count",
    ),
    PeriodKind.QUARTER: ngettext_lazy(
        "Too few cases to judge in %(count)d quarter.",
        "Too few cases to judge in %(count)d quarters.",
        "count",
    ),
    PeriodKind.TERTIAL: ngettext_lazy(
        "Too few cases to judge in %(count)d tertial.",
        "Too few cases to judge in %(count)d tertials.",
        "count",
    ),
    PeriodKind.YEAR: ngettext_lazy(
        "Too few cases to judge in %(count)d year.",
        "Too few cases to judge in %(count)d years.",
        "count",
    ),
}


@dataclass(frozen=True)
class TrackRecord:
    """How a promise (all versions sharing its key) was kept over the last ended periods
    of its kind."""

    kind: PeriodKind
    kept: int = 0
    judged: int = 0
    not_enough_data: int = 0
    latest: FollowUp | None = None
    # The newest period in the window it was not kept, with the unit's explanation.
    latest_not_kept: FollowUp | None = None

    @property
    def summary(self) -> str:
        """The record in plain words."""
        if not self.judged:
            return str(_("Not enough data yet."))
        return str(KEPT_OF[self.kind] % {"kept": self.kept, "judged": self.judged})

    @property
    def too_few_cases(self) -> str:
        """How many periods could not be judged, when there were any besides judged ones."""
        if not (self.judged and self.not_enough_data):
            return ""
        return str(TOO_FEW_CASES[self.kind] % {"count": self.not_enough_data})

    @property
    def latest_period(self) -> str:
        return _period_label(self.latest)

    @property
    def latest_not_kept_period(self) -> str:
        return _period_label(self.latest_not_kept)

    @property
    def latest_is_judged(self) -> bool:
        return self.latest is not None and self.latest.result != FollowUp.Result.NOT_ENOUGH_DATA

    @property
    def latest_share_shown(self) -> bool:
        """The latest follow-up's share may be shown: judged on enough cases."""
        return self.latest_is_judged and share_is_public(self.latest, minimum_cases())

    @property
    def latest_share_hidden(self) -> bool:
        """The latest follow-up was judged on cases, too few for the public to see its
        share: the page says "too few cases" instead."""
        judged_on_cases = self.latest_is_judged and bool(self.latest and self.latest.cases)
        return judged_on_cases and not self.latest_share_shown


def share_is_public(follow_up: FollowUp | None, minimum: int) -> bool:
    """A follow-up's share of cases that met the promise may be shown to the public: it
    has one, built on at least `minimum` cases (`SERVICENAV_PUBLIC_MIN_CASES`), like every
    public figure on cases."""
    return bool(follow_up and follow_up.value is not None and (follow_up.cases or 0) >= minimum)


def _period_label(follow_up: FollowUp | None) -> str:
    if follow_up is None:
        return ""
    try:
        return str(Period.parse(follow_up.period).label)
    except ValueError:
        return follow_up.period


@dataclass(frozen=True)
class FeedbackCounts:
    """Feedback linked to a promise, by kind (duplicates merged into another case left out)."""

    complaints: int = 0
    praise: int = 0
    other: int = 0

    @property
    def total(self) -> int:
        return self.complaints + self.praise + self.other


@dataclass(frozen=True)
class PublicPromise:
    commitment: Commitment
    track: TrackRecord
    feedback: FeedbackCounts = field(default_factory=FeedbackCounts)


@dataclass(frozen=True)
class PublicDeclaration:
    """A declaration as the list shows it: its version in force and its promises."""

    version: Version
    under_review: bool
    promises: list[PublicPromise]


@dataclass(frozen=True)
class UnitDeclarations:
    unit: Unit
    declarations: list[PublicDeclaration]


def is_under_review(version: Version, *, today: date | None = None) -> bool:
    """True when the review-by date passed more than the grace days ago."""
    if version.review_by is None:
        return False
    grace = timedelta(days=settings.SERVICENAV_DECLARATION_REVIEW_GRACE_DAYS)
    return (today or timezone.localdate()) > version.review_by + grace


def track_window(kind: PeriodKind, today: date) -> list[Period]:
    """The last `TRACK_PERIODS` periods of `kind` that have ended by `today`, newest first."""
    period = Period.containing(today, kind).previous()
    window = []
    for _index in range(TRACK_PERIODS):
        window.append(period)
        period = period.previous()
    return window


def track_records(
    commitments: Iterable[Commitment], *, today: date | None = None
) -> dict[uuid.UUID, TrackRecord]:
    """Each promise's track record, by key, in one query. A promise is followed up per the
    period kind of the version it is read from (`commitment.version`, which should be
    loaded already)."""
    today = today or timezone.localdate()
    kinds = {c.key: PeriodKind(c.version.period_kind) for c in commitments}
    windows = {kind: {p.code for p in track_window(kind, today)} for kind in set(kinds.values())}
    codes = set().union(*windows.values())
    rows = FollowUp.objects.filter(commitment_key__in=kinds, period__in=codes).order_by(
        "commitment_key", "-period_start"
    )
    found: dict[uuid.UUID, list[FollowUp]] = {}
    for row in rows:
        if row.period in windows[kinds[row.commitment_key]]:
            found.setdefault(row.commitment_key, []).append(row)
    return {key: _record(kind, found.get(key, [])) for key, kind in kinds.items()}


def _record(kind: PeriodKind, follow_ups: list[FollowUp]) -> TrackRecord:
    """`follow_ups` newest first."""
    results = Counter(row.result for row in follow_ups)
    not_kept = [row for row in follow_ups if row.result == FollowUp.Result.NOT_KEPT]
    return TrackRecord(
        kind=kind,
        kept=results[FollowUp.Result.KEPT],
        judged=results[FollowUp.Result.KEPT] + results[FollowUp.Result.NOT_KEPT],
        not_enough_data=results[FollowUp.Result.NOT_ENOUGH_DATA],
        latest=follow_ups[0] if follow_ups else None,
        latest_not_kept=not_kept[0] if not_kept else None,
    )


def feedback_counts(keys: Iterable[uuid.UUID]) -> dict[uuid.UUID, FeedbackCounts]:
    """Feedback linked to each promise key, whichever version of it was linked; one query."""
    rows = (
        Case.objects.filter(commitment__key__in=list(keys), merged_into__isnull=True)
        .values_list("commitment__key", "kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    counted: dict[uuid.UUID, Counter[str]] = {}
    for key, kind, n in rows:
        counted.setdefault(key, Counter())[kind] += n
    return {
        key: FeedbackCounts(
            complaints=kinds[Kind.COMPLAINT],
            praise=kinds[Kind.PRAISE],
            other=kinds[Kind.SUGGESTION] + kinds[Kind.QUESTION],
        )
        for key, kinds in counted.items()
    }


def public_promises(
    version: Version, *, today: date | None = None, feedback: bool = True
) -> list[PublicPromise]:
    """The version's promises with their track records (and linked feedback): 2–3 queries."""
    commitments = list(version.commitments.all())
    for commitment in commitments:
        commitment.version = version  # spare a query per promise
    records = track_records(commitments, today=today)
    counts = feedback_counts(records) if feedback else {}
    return [
        PublicPromise(
            commitment=c, track=records[c.key], feedback=counts.get(c.key, FeedbackCounts())
        )
        for c in commitments
    ]


def _tree_keys(units: Iterable[Unit]) -> dict[int, tuple[tuple[str, int], ...]]:
    """A sort key per unit that reads the tree depth first, each level by name."""
    units = list(units)
    ancestor_ids = {int(part) for unit in units for part in unit.path.strip("/").split("/")}
    names = {unit.pk: unit.name.casefold() for unit in Unit.objects.filter(pk__in=ancestor_ids)}
    return {
        unit.pk: tuple(
            (names.get(int(part), ""), int(part)) for part in unit.path.strip("/").split("/")
        )
        for unit in units
    }


def published_by_unit(*, today: date | None = None) -> list[UnitDeclarations]:
    """Every declaration in force, grouped by its (active) unit in the order of the unit
    tree, each with its promises' track records. A fixed number of queries, however many
    declarations and promises there are."""
    today = today or timezone.localdate()
    versions = list(
        Version.objects.filter(
            status=Version.Status.PUBLISHED, declaration__unit__active=True
        ).select_related("declaration__unit")
    )
    commitments = Commitment.objects.filter(version__in=versions)
    by_version: dict[int, list[Commitment]] = {}
    for commitment in commitments:
        by_version.setdefault(commitment.version_id, []).append(commitment)
    for version in versions:
        for commitment in by_version.get(version.pk, []):
            commitment.version = version
    records = track_records(
        [c for version in versions for c in by_version.get(version.pk, [])], today=today
    )
    tree = _tree_keys({version.declaration.unit for version in versions})
    versions.sort(key=lambda v: (tree[v.declaration.unit_id], v.service.casefold(), v.pk))
    return [
        UnitDeclarations(
            unit=unit,
            declarations=[
                PublicDeclaration(
                    version=version,
                    under_review=is_under_review(version, today=today),
                    promises=[
                        PublicPromise(commitment=c, track=records[c.key])
                        for c in by_version.get(version.pk, [])
                    ],
                )
                for version in group
            ],
        )
        for unit, group in groupby(versions, key=lambda v: v.declaration.unit)
    ]


def current_version(declaration_pk: int) -> Version | None:
    """The version in force of declaration `declaration_pk`; None if it has none."""
    return (
        Version.objects.filter(declaration_id=declaration_pk, status=Version.Status.PUBLISHED)
        .select_related("declaration__unit")
        .first()
    )


def public_version(declaration_pk: int, number: int) -> Version | None:
    """Version `number` of the declaration, if it is or was in force."""
    return (
        Version.objects.filter(
            declaration_id=declaration_pk, number=number, status__in=PUBLIC_STATUSES
        )
        .select_related("declaration__unit")
        .first()
    )


def version_history(declaration_pk: int) -> QuerySet[Version]:
    """Every version of the declaration that was ever in force, newest first."""
    return Version.objects.filter(
        declaration_id=declaration_pk, status__in=PUBLIC_STATUSES
    ).order_by("-number")


def public_commitment(value: str) -> Commitment | None:
    """The promise `value` (a primary key from an address or a form) names, if it is in a
    version in force of an active unit's declaration; None for anything else."""
    value = (value or "").strip()
    if not (value.isascii() and value.isdigit()) or len(value) > MAX_PK_DIGITS:
        return None
    return (
        Commitment.objects.filter(
            pk=int(value),
            version__status=Version.Status.PUBLISHED,
            version__declaration__unit__active=True,
        )
        .select_related("version__declaration__unit")
        .first()
    )


def promise_relates_to(commitment: Commitment, unit: Unit) -> bool:
    """True when the promise's declaration belongs to `unit`, a unit above it or below it."""
    owner = commitment.version.declaration.unit
    return unit.is_within(owner) or owner.is_within(unit)


def _ancestor_ids(unit: Unit) -> list[int]:
    return [int(part) for part in unit.path.strip("/").split("/")]


def linkable_commitments(
    unit: Unit | None, *, including: int | None = None
) -> QuerySet[Commitment]:
    """Promises feedback about `unit` can be linked to: those in force in declarations of
    the unit, of the units above it and of the units below it. `including` adds the promise
    a case is already linked to, so that it stays selectable after a new version."""
    chosen = Q(pk__in=[])
    if unit is not None:
        related = Q(version__declaration__unit__in=_ancestor_ids(unit)) | Q(
            version__declaration__unit__path__startswith=unit.path
        )
        chosen = Q(version__status=Version.Status.PUBLISHED) & related
    if including is not None:
        chosen |= Q(pk=including)
    return (
        Commitment.objects.filter(chosen)
        .select_related("version__declaration__unit")
        .order_by("version__declaration__unit__path", "version__service_sv", "order", "pk")
    )


def answer_promise(unit: Unit) -> Commitment | None:
    """The promise in force about answering feedback that covers `unit`: from the unit's
    own declaration, else from the nearest unit above it (Open311's service_notice)."""
    return answer_promises([unit])[unit.pk]


def answer_promises(units: Iterable[Unit]) -> dict[int, Commitment | None]:
    """`answer_promise` of each of `units`, by unit id, in one query (a list of Open311
    requests would otherwise ask once per request)."""
    ancestors = {unit.pk: _ancestor_ids(unit) for unit in units}
    if not ancestors:
        return {}
    promises = list(
        Commitment.objects.filter(
            version__status=Version.Status.PUBLISHED,
            version__declaration__unit__in={pk for ids in ancestors.values() for pk in ids},
            measure__in=[Measure.ANSWERED_WITHIN, Measure.ANSWERED_BY_DEADLINE],
        )
        .select_related("version__declaration")
        .only("order", "text_sv", "text_en", "version__declaration__unit")
        # The default order joins the unit for its path; the nearest unit is chosen below,
        # so this order only settles ties within one unit, as the default did.
        .order_by("version__declaration_id", "-version__number", "order", "pk")
    )
    return {unit_id: _nearest_promise(promises, ids) for unit_id, ids in ancestors.items()}


def _nearest_promise(promises: list[Commitment], ancestor_ids: list[int]) -> Commitment | None:
    nearest = {unit_id: depth for depth, unit_id in enumerate(ancestor_ids)}
    return max(
        (p for p in promises if p.version.declaration.unit_id in nearest),
        key=lambda promise: (nearest[promise.version.declaration.unit_id], -promise.order),
        default=None,
    )
