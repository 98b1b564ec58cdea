"""Demo service declarations for five of the demo units, told through the services.

Each is written by the quality coordinator, sent for approval, approved by a manager of the
unit's administration and published about two years ago; the library's has a second
version from about a year ago, and the waste collection's is long past its review-by date.
Qualitative promises are assessed period by period with comments, measurable ones are
judged from the demo cases, some promises that were not kept are explained, and a sample
of complaints and praise is linked to the promise it concerns.

Declarations are added to units that have none. The follow-up is brought up to date on
every run, because it needs the demo cases, which `load_demo --without-cases` leaves out:
loading the demo again after that judges the measurable promises on the cases then there.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from servicenav.cases.models import Case, Kind
from servicenav.core.periods import Period, PeriodKind, add_months
from servicenav.core.progress import progress
from servicenav.declarations import services
from servicenav.declarations.demo_texts import DECLARATIONS, EXPLANATIONS, NewVersion, Promise, Spec
from servicenav.declarations.follow_up import (
    ended_periods,
    follow_up_declaration,
    version_for_period,
)
from servicenav.declarations.models import Commitment, Declaration, FollowUp, Version
from servicenav.organisation.models import Role, Unit, User
from servicenav.organisation.services import role_grant

if TYPE_CHECKING:
    from servicenav.core.progress import Writable

SEED = 2026
# The unit managers who approve: the demo's own `chef` for Teknik, one made-up login
# (without a password) for each other administration with a demo declaration.
MANAGERS = {
    "teknik": ("chef", "Charlie", "Verksamhetschef"),
    "kultur-fritid": ("chef-kultur-fritid", "Maria", "Lindqvist"),
    "stadsbyggnad": ("chef-stadsbyggnad", "Per", "Nyström"),
    "barn-utbildning": ("chef-barn-utbildning", "Sara", "Hedlund"),
    "kommunledning": ("chef-kommunledning", "Jonas", "Forsberg"),
}
COORDINATOR = "kvalitet"
KEPT_SHARE = 0.8  # how often a qualitative promise is assessed as kept
EXPLAINED_SHARE = 0.6  # how many promises not kept get an explanation
LINKED_SHARE = 0.25  # how much of the complaints and praise is linked to a promise


@dataclass
class _People:
    coordinator: User
    managers: dict[str, User]  # by administration slug

    def manager_of(self, unit: Unit) -> User:
        return self.managers[unit.parent.slug if unit.parent else ""]


def load_demo_declarations(*, stdout: Writable, today: date) -> int:
    """Add the demo declarations to the demo units that have none, then bring the follow-up
    of every demo declaration up to date. Returns how many declarations were added."""
    units = {unit.slug: unit for unit in Unit.objects.filter(slug__in=_slugs())}
    with transaction.atomic():
        people = _people()
        added = 0
        for spec in progress(DECLARATIONS, label="Declarations", stream=stdout):
            unit = units.get(spec.slug)
            if unit is not None and not unit.declarations.exists():
                _tell(spec, unit, people, today)
                added += 1
        tally: Counter[str] = Counter()
        for spec in DECLARATIONS:
            declaration = _demo_declaration(spec, units.get(spec.slug))
            if declaration is not None:
                _follow_up(spec, declaration, people, today, tally)
    results = Counter(
        FollowUp.objects.filter(
            commitment__version__declaration__unit__slug__in=_slugs()
        ).values_list("result", flat=True)
    )
    stdout.write(
        f"Demo declarations: {added} new; follow-up {results['kept']} kept, "
        f"{results['not_kept']} not kept, {results['not_enough_data']} not enough data; "
        f"{tally['assessed']} periods assessed, {tally['explained']} explained and "
        f"{tally['linked']} cases linked to promises in this run.\n"
    )
    return added


def _slugs() -> list[str]:
    return [spec.slug for spec in DECLARATIONS]


def _people() -> _People:
    managers = {}
    for slug, (username, first, last) in MANAGERS.items():
        user, new = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": f"{username}@lulea.example"},
        )
        if new:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        role_grant(user=user, unit=Unit.objects.get(slug=slug), role=Role.UNIT_MANAGER, by=None)
        managers[slug] = user
    return _People(coordinator=User.objects.get(username=COORDINATOR), managers=managers)


def _demo_declaration(spec: Spec, unit: Unit | None) -> Declaration | None:
    """The unit's declaration the demo wrote, told by its first version's name."""
    return (
        Declaration.objects.filter(
            unit=unit, versions__number=1, versions__service_sv=spec.texts["service_sv"]
        )
        .select_related("unit")
        .first()
    )


# Writing, approving and publishing.


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=timezone.get_default_timezone())


def _first_start(day: date, kind: PeriodKind) -> date:
    """The first day of the first period of `kind` that starts on or after `day`."""
    period = Period.containing(day, kind)
    return period.start if period.start == day else period.next().start


def _tell(spec: Spec, unit: Unit, people: _People, today: date) -> None:
    writer, manager = people.coordinator, people.manager_of(unit)
    version = services.declaration_create(
        unit=unit, by=writer, owner=manager, period_kind=spec.period_kind.value, **spec.texts
    )
    for order, promise in enumerate(spec.promises, start=1):
        services.commitment_add(version=version, by=writer, order=order, **promise.fields())
    review_in = spec.review_in_months
    _approve_and_publish(
        version,
        writer=writer,
        manager=manager,
        valid_from=_first_start(add_months(today, -24), spec.period_kind),
        review_by=add_months(today, review_in) if review_in is not None else None,
    )
    Declaration.objects.filter(pk=version.declaration_id).update(created_at=version.created_at)
    if spec.second is not None:
        _second_version(spec.second, version.declaration, writer, manager, today)


def _approve_and_publish(
    version: Version, *, writer: User, manager: User, valid_from: date, review_by: date | None
) -> None:
    """Written about six weeks before it comes into force, approved a fortnight before and
    published on the morning of its first day."""
    written = _at(valid_from - timedelta(days=40))
    Version.objects.filter(pk=version.pk).update(created_at=written)
    version.created_at = written
    at = _at(valid_from - timedelta(days=24))
    services.version_submit(version=version, by=writer, at=at)
    at = _at(valid_from - timedelta(days=14), 14)
    services.version_approve(version=version, by=manager, review_by=review_by, at=at)
    at = _at(valid_from, 8)
    services.version_publish(version=version, by=writer, valid_from=valid_from, at=at)


def _second_version(
    change: NewVersion, declaration: Declaration, writer: User, manager: User, today: date
) -> None:
    draft = services.version_new_draft(declaration=declaration, by=writer)
    services.version_update(version=draft, by=writer, **change.texts)
    for order, promise in change.reworded.items():
        commitment = draft.commitments.get(order=order)
        fields = {"text_sv": promise.sv, "text_en": promise.en}
        services.commitment_update(commitment=commitment, by=writer, **fields)
    for promise in change.added:
        services.commitment_add(version=draft, by=writer, **promise.fields())
    kind = PeriodKind(draft.period_kind)
    _approve_and_publish(
        draft,
        writer=writer,
        manager=manager,
        valid_from=_first_start(add_months(today, -12), kind),
        review_by=add_months(today, 3),
    )


# Following up: measurable promises judged from the cases, the rest assessed by the unit.


def _follow_up(
    spec: Spec, declaration: Declaration, people: _People, today: date, tally: Counter[str]
) -> None:
    manager = people.manager_of(declaration.unit)
    follow_up_declaration(declaration, today=today)
    tally["assessed"] += _assess(spec, declaration, manager, today)
    tally["explained"] += _explain(declaration, manager)
    tally["linked"] += _link_cases(declaration)


def _comments(spec: Spec, commitment: Commitment) -> Promise | None:
    wordings = [*spec.promises]
    if spec.second is not None:
        wordings += [*spec.second.added]
    by_text = {promise.sv: promise for promise in wordings}
    found = by_text.get(commitment.text_sv)
    if found is None and commitment.order <= len(spec.promises):
        found = spec.promises[commitment.order - 1]  # a reworded promise: same comments
    return found


def _assess(spec: Spec, declaration: Declaration, manager: User, today: date) -> int:
    """Assess every ended period of each qualitative promise not yet assessed."""
    assessed = 0
    for period in ended_periods(declaration, spec.period_kind, today):
        version = version_for_period(declaration, period)
        if version is None:
            continue
        for commitment in version.commitments.filter(kind=Commitment.Kind.QUALITATIVE):
            done = FollowUp.objects.filter(commitment_key=commitment.key, period=period.code)
            promise = _comments(spec, commitment)
            if done.exists() or promise is None:
                continue
            seed = f"{SEED}:{spec.slug}:{commitment.order}:{period.code}"
            rng = random.Random(seed)  # noqa: S311
            kept = rng.random() < KEPT_SHARE or not promise.missed
            comment = rng.choice(promise.kept if kept else promise.missed)
            services.follow_up_assess(
                commitment=commitment, period=period, kept=kept, comment=comment, by=manager
            )
            assessed += 1
    return assessed


def _explain(declaration: Declaration, manager: User) -> int:
    """Explain some of the promises not kept: the same ones on every run."""
    explained = 0
    missed = FollowUp.objects.filter(
        commitment__version__declaration=declaration,
        result=FollowUp.Result.NOT_KEPT,
        explanation="",
    ).select_related("commitment__version__declaration__unit")
    for follow_up in missed:
        slug, order = declaration.unit.slug, follow_up.commitment.order
        seed = f"{SEED}:explain:{slug}:{order}:{follow_up.period}"
        rng = random.Random(seed)  # noqa: S311
        if rng.random() >= EXPLAINED_SHARE:
            continue
        explanation, action = rng.choice(EXPLANATIONS[follow_up.commitment.measure])
        services.follow_up_explain(
            follow_up=follow_up, explanation=explanation, planned_action=action, by=manager
        )
        explained += 1
    return explained


def _link_cases(declaration: Declaration) -> int:
    """Link a sample of the unit's complaints and praise to the promise they concern, once:
    praise to a promise about how we meet people, complaints to any promise."""
    if Case.objects.filter(commitment__version__declaration=declaration).exists():
        return 0
    rng = random.Random(f"{SEED}:{declaration.unit.slug}")  # noqa: S311
    chosen: dict[int, list[int]] = defaultdict(list)
    for version in declaration.versions.filter(valid_from__isnull=False).order_by("number"):
        commitments = list(version.commitments.all())
        qualitative = [c for c in commitments if not c.is_measurable] or commitments
        cases = Case.objects.filter(
            unit=declaration.unit,
            kind__in=[Kind.COMPLAINT, Kind.PRAISE],
            received_at__date__gte=version.valid_from,
        )
        if version.valid_until is not None:
            cases = cases.filter(received_at__date__lte=version.valid_until)
        for pk, kind in cases.order_by("pk").values_list("pk", "kind"):
            if rng.random() < LINKED_SHARE:
                promise = rng.choice(qualitative if kind == Kind.PRAISE else commitments)
                chosen[promise.pk].append(pk)
    for commitment_pk, case_pks in chosen.items():
        Case.objects.filter(pk__in=case_pks).update(commitment_id=commitment_pk)
    return sum(len(case_pks) for case_pks in chosen.values())
