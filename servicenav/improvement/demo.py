"""Demo improvement actions, themes and good examples, told through the services.

A handful of actions in different states for Gata och park, Hemtjänst, Bibliotek and
Vatten och avlopp, each linked to a few of the unit's demo complaints and suggestions; two
are published as "du sa – vi gjorde". Demo cases are linked after an action is completed,
so loading the demo sends no e-mail to the demo addresses. Loaded once: a second run adds
nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from django.db import transaction

from servicenav.cases.models import Case, Kind
from servicenav.improvement import services
from servicenav.improvement.models import Action, Theme
from servicenav.organisation.models import ServiceValue, Unit, User

if TYPE_CHECKING:
    from datetime import date

    from servicenav.core.progress import Writable

S = Action.Status
THEMES = [
    ("Snöröjning", "Snow clearing"),
    ("Bemötande", "Treatment of people"),
    ("Väntetid", "Waiting time"),
    ("Information", "Information"),
    ("Tillgänglighet", "Accessibility"),
]


@dataclass(frozen=True)
class Spec:
    slug: str
    title: str
    description: str
    status: str
    outcome: str = ""
    public_text: str = ""
    themes: tuple[str, ...] = ()


ACTIONS = [
    Spec(
        "gata-park",
        "Snöröjning av gång- och cykelvägar före kl. 7",
        "Många synpunkter om osandade och oplogade gångvägar på morgonen. Vi ändrar "
        "turordningen så att gång- och cykelvägar röjs först.",
        S.DONE,
        "Gång- och cykelvägar röjs nu före kl. 7 efter snöfall.",
        "Ni sa att gångvägarna var oplogade när ni gick till jobbet och skolan. Nu röjer vi "
        "gång- och cykelvägar först, före kl. 7.",
        ("Snöröjning",),
    ),
    Spec(
        "hemtjanst",
        "Fasta besökstider i hemtjänsten",
        "Brukare och anhöriga vill veta när hemtjänsten kommer. Vi inför besöksfönster på "
        "en halvtimme och sms när vi blir sena.",
        S.DONE,
        "Besöksfönster på 30 minuter och sms vid förseningar.",
        "Ni sa att det var svårt att veta när hemtjänsten skulle komma. Nu får ni en tid "
        "inom en halvtimme, och ett sms om vi blir sena.",
        ("Väntetid", "Information"),
    ),
    Spec(
        "bibliotek",
        "Längre öppettider på kvällar",
        "Förslag om kvällsöppet. Vi provar meröppet till kl. 21 på två filialer.",
        S.IN_PROGRESS,
        themes=("Tillgänglighet",),
    ),
    Spec(
        "vatten-avlopp",
        "Tydligare information vid vattenavbrott",
        "Klagomål om att information om avbrott kom sent. Förslag: sms-utskick till berörda.",
        S.DECIDED,
        themes=("Information",),
    ),
    Spec(
        "gata-park",
        "Fler papperskorgar i centrum",
        "Förslag om fler papperskorgar längs Storgatan.",
        S.PROPOSED,
    ),
]


def load_demo_improvement(*, stdout: Writable, today: date) -> int:
    """Add the demo actions, themes and good examples once. Returns how many actions were
    added."""
    coordinator = User.objects.filter(username="kvalitet").first()
    units = {unit.slug: unit for unit in Unit.objects.filter(slug__in={s.slug for s in ACTIONS})}
    if coordinator is None or not units or Action.objects.filter(unit__in=units.values()).exists():
        stdout.write("Demo improvement: nothing added.")
        return 0
    with transaction.atomic():
        themes = {
            sv: Theme.objects.get_or_create(name_sv=sv, defaults={"name_en": en})[0]
            for sv, en in THEMES
        }
        added = [
            _tell(spec, units[spec.slug], coordinator, themes, today)
            for spec in ACTIONS
            if spec.slug in units
        ]
        _examples(coordinator, units, added, themes)
    stdout.write(f"Demo improvement: {len(added)} actions, {len(themes)} themes.")
    return len(added)


def _tell(spec: Spec, unit: Unit, by: User, themes: dict[str, Theme], today: date) -> Action:
    action = services.action_create(
        unit=unit,
        title=spec.title,
        description=spec.description,
        responsible=by,
        planned_start=today - timedelta(days=120),
        planned_end=today + timedelta(days=60),
        values=ServiceValue.objects.all()[:1],
        by=by,
    )
    steps: list[str] = [S.DECIDED, S.IN_PROGRESS, S.DONE]
    for day, status in enumerate(
        steps[: steps.index(spec.status) + 1] if spec.status != S.PROPOSED else []
    ):
        services.action_set_status(
            action=action,
            status=status,
            outcome=spec.outcome,
            on=today - timedelta(days=90 - 30 * day),
            by=by,
        )
        services.action_add_update(
            action=action,
            text=f"{action.get_status_display().capitalize()}.",
            on=today - timedelta(days=90 - 30 * day),
            by=by,
        )
    cases = Case.objects.filter(unit=unit, kind__in=[Kind.COMPLAINT, Kind.SUGGESTION])[:3]
    action.cases.add(*cases)
    for case in cases:
        services.case_set_themes(case=case, themes=[themes[t] for t in spec.themes], by=by)
    if spec.public_text:
        services.action_publish(action=action, text_sv=spec.public_text, by=by)
    return action


def _examples(
    by: User, units: dict[str, Unit], actions: list[Action], themes: dict[str, Theme]
) -> None:
    for action in actions:
        if action.status == S.DONE:
            services.good_example_from_action(action=action, by=by)
    if "bibliotek" in units:
        services.good_example_create(
            title="Meröppet bibliotek",
            text="Låntagare med lånekort kommer in i biblioteket med kod, också när det "
            "är obemannat.",
            result="Fler besök på kvällar och helger.",
            unit=units["bibliotek"],
            source_name="Umeå kommun",
            source_url="https://www.umea.se/",
            themes=[themes["Tillgänglighet"]],
            by=by,
        )
    praise = Case.objects.filter(is_good_example=True, unit__isnull=False).first()
    if praise is not None:
        services.good_example_from_case(case=praise, title="Beröm som gott exempel", by=by)
