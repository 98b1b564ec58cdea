"""Recompute the measurements of every active indicator computed from cases or surveys,
for every period that has ended in the window; a scheduler runs this once a night.
Running it again writes the same values from the same data."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from servicenav.kpis.compute import compute_all
from servicenav.kpis.models import StaleUnit
from servicenav.kpis.survey_compute import compute_survey_indicators
from servicenav.kpis.tasks import recompute_stale


class Command(BaseCommand):
    help = "Compute the key performance indicators that come from the cases and surveys."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--months",
            type=int,
            default=24,
            help="How many months back to recompute (default 24).",
        )
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            help="Compute the periods ended before this date (YYYY-MM-DD); default: today.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        indicators, written = compute_all(today=options["today"], months=options["months"])
        surveyed, survey_written = compute_survey_indicators(today=options["today"])
        # A stale mark left by a failed task run is picked up again here.
        if StaleUnit.objects.exists():
            recompute_stale.enqueue()
        self.stdout.write(
            self.style.SUCCESS(
                f"{written + survey_written} measurements written for "
                f"{indicators + surveyed} indicators."
            )
        )
