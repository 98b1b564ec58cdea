"""Judge the measurable promises of every declaration that is or has been in force, for
every period that has ended; a scheduler runs this once a day. Running it again rewrites
the same judgements from the same data and keeps staff's explanations."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand

from servicenav.core.progress import progress
from servicenav.declarations.follow_up import follow_up_declaration
from servicenav.declarations.models import Declaration, Version


class Command(BaseCommand):
    help = "Compute the follow-up of measurable promises for every ended period."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            help="Follow up the periods ended before this date (YYYY-MM-DD); default: today.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        in_force = Version.objects.filter(
            status__in=[Version.Status.PUBLISHED, Version.Status.ARCHIVED]
        ).values("declaration_id")
        declarations = list(Declaration.objects.filter(pk__in=in_force).select_related("unit"))
        written = 0
        for declaration in progress(declarations, label="Declarations", stream=self.stdout):
            written += follow_up_declaration(declaration, today=options["today"])
        self.stdout.write(
            self.style.SUCCESS(
                f"{written} follow-ups written for {len(declarations)} declarations."
            )
        )
