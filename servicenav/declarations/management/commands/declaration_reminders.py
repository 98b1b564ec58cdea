"""E-mail owners and quality coordinators about published declarations that have reached
their review-by date; a scheduler runs this once a day."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand

from servicenav.declarations.reminders import review_reminders_send


class Command(BaseCommand):
    help = "Queue review reminders for declarations past their review-by date, once per date."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            help="Decide what is due as if it were this date (YYYY-MM-DD); default: today.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        run = review_reminders_send(today=options["today"], stream=self.stdout)
        self.stdout.write(
            self.style.SUCCESS(
                f"{run.declarations} declarations due for review; "
                f"reminders queued to {run.people} people."
            )
        )
