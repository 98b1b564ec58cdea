"""E-mail handlers and managers about cases nearing or past their answer-by date; a
scheduler runs this once a day."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand

from servicenav.cases.reminders import reminders_send


class Command(BaseCommand):
    help = "Queue deadline reminders (half the time used, due, overdue), each once per case."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            help="Decide the stages as if it were this date (YYYY-MM-DD); default: today.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        run = reminders_send(today=options["today"], stream=self.stdout)
        self.stdout.write(
            self.style.SUCCESS(f"{run.reminders} reminders queued to {run.people} people.")
        )
