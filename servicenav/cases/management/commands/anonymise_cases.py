"""Remove the personal data of cases closed longer ago than the retention time; a
scheduler runs this once a day (or week). Running it again changes nothing."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from servicenav.cases.retention import cases_anonymise, cases_to_anonymise


class Command(BaseCommand):
    help = "Anonymise closed cases whose retention time is over (SERVICENAV_RETENTION_MONTHS)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--months",
            type=int,
            default=settings.SERVICENAV_RETENTION_MONTHS,
            help="Anonymise cases closed more than this many months ago.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Only count the cases; change nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        months = options["months"]
        if months < 1:
            raise CommandError("--months must be at least 1.")
        if options["dry_run"]:
            count = cases_to_anonymise(months=months).count()
            self.stdout.write(
                f"{count} cases closed more than {months} months ago would be anonymised."
            )
            return
        count = cases_anonymise(months=months, stream=self.stdout)
        self.stdout.write(
            self.style.SUCCESS(
                f"{count} cases closed more than {months} months ago were anonymised."
            )
        )
