"""The generated municipality: its unit tree, each unit's categories, one case handler per
service, a quality coordinator and a few deadline rules.

The shape is the demo's (`organisation.demo`, `cases.demo_texts`): the same
administrations and services, each service split into teams by district, so statistics
have a tree of four levels to add up. A few hundred rows at most: written through the
ordinary services, so units get their paths and the writes are audited."""

from __future__ import annotations

from dataclasses import dataclass, field

from servicenav.cases import demo_texts as texts
from servicenav.cases.deadlines import deadlines_for
from servicenav.cases.models import Category, DeadlineRule, Kind
from servicenav.organisation import demo
from servicenav.organisation.models import Role, Unit, User
from servicenav.organisation.services import role_grant, unit_create

PREFIX = "gen-"
TOP_SLUG = f"{PREFIX}kommun"
DISTRICTS = ["Centrum", "Norr", "Söder", "Öster", "Väster", "Råneå"]
# (service slug, kind or "" for every kind, working days to acknowledge, to answer)
RULES = [("kontaktcenter", Kind.QUESTION, 1, 5), ("bygglov", "", 2, 15)]


@dataclass
class Receiver:
    """A unit that receives cases: a service, or a team of one."""

    unit: Unit
    service: str
    categories: dict[str, int]  # Swedish category name: category id
    # (acknowledge days, answer days) per case kind
    deadlines: dict[str, tuple[int, int]] = field(default_factory=dict)


@dataclass
class Organisation:
    top: Unit
    administrations: list[Unit]
    receivers: list[Receiver]
    # Per service: its receivers' positions in `receivers` (the service first), its handler.
    by_service: dict[str, list[int]]
    handlers: dict[str, User]
    coordinator: User


def teams_for(share: int) -> int:
    """Bigger services are split into more district teams (2 to 6)."""
    return min(len(DISTRICTS), max(2, share // 2 + 1))


def build_organisation() -> Organisation:
    """Create the tree under a new top unit; the services with demo texts get teams."""
    top = unit_create(
        by=None,
        kind=Unit.Kind.MUNICIPALITY,
        name_sv="Genererad kommun",
        name_en="Generated municipality",
        slug=TOP_SLUG,
    )
    administrations: list[Unit] = []
    receivers: list[Receiver] = []
    by_service: dict[str, list[int]] = {}
    for slug, name_sv, name_en, services in demo.ADMINISTRATIONS:
        administration = _unit(slug, name_sv, name_en, Unit.Kind.ADMINISTRATION, top)
        administrations.append(administration)
        for service_slug, service_sv, service_en in services:
            if service_slug not in texts.UNITS:
                continue  # no feedback texts for it: not part of the generated tree
            service = _unit(service_slug, service_sv, service_en, Unit.Kind.SERVICE, administration)
            units = [service]
            for district in DISTRICTS[: teams_for(texts.UNITS[service_slug][0])]:
                units.append(
                    _unit(
                        f"{service_slug}-{district.lower()}",
                        f"{service_sv} {district}",
                        f"{service_en} {district}",
                        Unit.Kind.TEAM,
                        service,
                    )
                )
            by_service[service_slug] = list(range(len(receivers), len(receivers) + len(units)))
            receivers += [Receiver(unit, service_slug, _categories(unit)) for unit in units]
    handlers, coordinator = _staff(top, receivers, by_service)
    _deadline_rules(receivers, by_service)
    return Organisation(top, administrations, receivers, by_service, handlers, coordinator)


def _unit(slug: str, name_sv: str, name_en: str, kind: str, parent: Unit) -> Unit:
    return unit_create(
        by=None,
        kind=kind,
        name_sv=name_sv,
        name_en=name_en,
        slug=f"{PREFIX}{slug}",
        parent=parent,
        contact_email=f"{slug}@generated.example",
    )


def _categories(unit: Unit) -> dict[str, int]:
    service = unit.slug.removeprefix(PREFIX)
    while service not in texts.UNITS:  # a team: "gata-park-norr" belongs to "gata-park"
        service = service.rsplit("-", 1)[0]
    made = Category.objects.bulk_create(
        Category(unit=unit, name_sv=name_sv, name_en=name_en)
        for name_sv, name_en in texts.UNITS[service][1]
    )
    return {category.name_sv: category.pk for category in made}


def _staff(
    top: Unit, receivers: list[Receiver], by_service: dict[str, list[int]]
) -> tuple[dict[str, User], User]:
    """A case handler for each service (and so its teams), a coordinator at the top."""
    coordinator = _user("kvalitet", "Kim", "Kvalitetssamordnare")
    role_grant(user=coordinator, unit=top, role=Role.QUALITY_COORDINATOR, by=None)
    handlers = {}
    for number, (service, positions) in enumerate(by_service.items()):
        first = texts.FIRST_NAMES[number % len(texts.FIRST_NAMES)]
        last = texts.LAST_NAMES[number % len(texts.LAST_NAMES)]
        handlers[service] = _user(service, first, last)
        unit = receivers[positions[0]].unit
        role_grant(user=handlers[service], unit=unit, role=Role.CASE_HANDLER, by=None)
    return handlers, coordinator


def _user(name: str, first: str, last: str) -> User:
    user = User(
        username=f"{PREFIX}{name}",
        first_name=first,
        last_name=last,
        email=f"{name}@generated.example",
    )
    user.set_unusable_password()
    user.save()
    return user


def _deadline_rules(receivers: list[Receiver], by_service: dict[str, list[int]]) -> None:
    for service, kind, acknowledge, answer in RULES:
        if service in by_service:
            DeadlineRule.objects.create(
                unit=receivers[by_service[service][0]].unit,
                kind=kind,
                acknowledge_days=acknowledge,
                answer_days=answer,
            )
    for receiver in receivers:
        for kind in Kind.values:
            rule = deadlines_for(receiver.unit, kind)
            receiver.deadlines[kind] = (rule.acknowledge_days, rule.answer_days)
