"""Daily: e-mail the owners of the network's action items due tomorrow or overdue."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from servicenav.network.reminders import action_reminders_send


class Command(BaseCommand):
    help = "E-mail owners of network action items that are due tomorrow or overdue (once each)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="Run as if it were this day (YYYY-MM-DD).")

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options["today"]:
            try:
                today = date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError("Give --today as YYYY-MM-DD.") from None
        run = action_reminders_send(today=today)
        self.stdout.write(f"{run.reminders} reminder(s) to {run.people} person(s).")
