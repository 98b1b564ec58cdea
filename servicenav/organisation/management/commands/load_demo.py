"""Load the demo organisation, staff, two years of feedback, the service declarations, the
surveys and the key performance indicators.
Safe to run again: it only adds what is missing."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from servicenav.cases.demo import load_demo_cases
from servicenav.core.models import DemoDataset
from servicenav.core.progress import progress
from servicenav.declarations.demo import load_demo_declarations
from servicenav.improvement.demo import load_demo_improvement
from servicenav.kpis.demo import load_demo_kpis
from servicenav.kpis.models import StaleUnit
from servicenav.network.demo import load_demo_network
from servicenav.organisation import demo
from servicenav.organisation.models import Unit, User
from servicenav.organisation.services import role_grant, unit_create
from servicenav.public.feedback import feedback_statistics_compute
from servicenav.surveys.demo import load_demo_surveys


class Command(BaseCommand):
    help = (
        "Load Luleå kommun's demo organisation, one demo login for every role, two years "
        "of feedback, service declarations with their follow-up, surveys with their "
        "rounds and focus groups, and key performance indicators with their targets, values "
        "and Kolada demo figures."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when the database has units."
        )
        parser.add_argument(
            "--without-cases",
            action="store_true",
            help="Load the organisation and staff but not the two years of demo feedback.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("Demo data is never loaded in production.")
        if options["if_empty"] and Unit.objects.exists():
            self.stdout.write("The database already has units; demo data not loaded.")
            if DemoDataset.objects.exists():
                self._print_logins()
            return
        with transaction.atomic():
            units = self._load_units()
            users = self._load_staff()
            cases = 0
            if not options["without_cases"]:
                cases = load_demo_cases(stdout=self.stdout, today=timezone.localdate())
            # After the cases: the measurable promises are judged on them. Without cases the
            # declarations are still loaded, and a later run with cases judges them again.
            declarations = load_demo_declarations(stdout=self.stdout, today=timezone.localdate())
            # Surveys need no cases: loaded either way.
            surveys = load_demo_surveys(stdout=self.stdout, today=timezone.localdate())
            # Last: indicators are computed from the cases and defined on the surveys.
            indicators = load_demo_kpis(stdout=self.stdout, today=timezone.localdate())
            load_demo_improvement(stdout=self.stdout, today=timezone.localdate())
            load_demo_network(stdout=self.stdout, today=timezone.localdate())
            feedback_statistics_compute(today=timezone.localdate())
            # Everything the demo's case changes marked stale has just been computed.
            StaleUnit.objects.all().delete()
            DemoDataset.objects.get_or_create()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {units} new units, {users} new logins, {cases} new cases, "
                f"{indicators} new indicators, {surveys} new surveys, {declarations} new "
                "declarations."
            )
        )
        self._print_logins()

    def _load_units(self) -> int:
        created = 0
        slug, name_sv, name_en, email = demo.MUNICIPALITY
        root, new = _unit(slug, name_sv, name_en, Unit.Kind.MUNICIPALITY, None, email)
        created += new
        for adm_slug, adm_sv, adm_en, services in progress(
            demo.ADMINISTRATIONS, label="Units", stream=self.stdout
        ):
            administration, new = _unit(adm_slug, adm_sv, adm_en, Unit.Kind.ADMINISTRATION, root)
            created += new
            for svc_slug, svc_sv, svc_en in services:
                created += _unit(svc_slug, svc_sv, svc_en, Unit.Kind.SERVICE, administration)[1]
        return created

    def _load_staff(self) -> int:
        created = 0
        for username, first, last, role, unit_slug in progress(
            demo.STAFF, label="Staff", stream=self.stdout
        ):
            user, new = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@lulea.example",
                },
            )
            if new:
                user.set_password(demo.DEMO_PASSWORD)
                user.save(update_fields=["password"])
                created += 1
            role_grant(user=user, unit=Unit.objects.get(slug=unit_slug), role=role, by=None)
        return created

    def _print_logins(self) -> None:
        self.stdout.write(f"Demo logins (password for all: {demo.DEMO_PASSWORD}):")
        for username, _first, _last, role, unit_slug in demo.STAFF:
            self.stdout.write(f"  {username:<13} {role.label} – {Unit.objects.get(slug=unit_slug)}")


def _unit(
    slug: str, name_sv: str, name_en: str, kind: str, parent: Unit | None, email: str = ""
) -> tuple[Unit, bool]:
    existing = Unit.objects.filter(slug=slug).first()
    if existing:
        return existing, False
    email = email or f"{slug}@lulea.example"
    unit = unit_create(
        by=None,
        kind=kind,
        name_sv=name_sv,
        name_en=name_en,
        slug=slug,
        parent=parent,
        contact_email=email,
    )
    return unit, True
