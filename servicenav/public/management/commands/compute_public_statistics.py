"""Count the feedback statistics the public site and the open data show; a scheduler runs
this once a night (after midnight, so that the month just ended is counted). Running it
again writes the same rows from the same data."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from servicenav.core.periods import Period, PeriodKind
from servicenav.core.progress import progress
from servicenav.organisation.models import Unit
from servicenav.public.feedback import feedback_statistics_compute


def _month(value: str) -> date:
    try:
        period = Period.parse(value)
    except ValueError as error:
        raise CommandError(str(error)) from error
    if period.kind is not PeriodKind.MONTH:
        msg = f"--since takes a month, YYYY-MM, not {value!r}"
        raise CommandError(msg)
    return period.start


class Command(BaseCommand):
    help = "Count the feedback statistics of the public site and the open data."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--unit", type=int, help="Only this unit (its id) and the units below it."
        )
        parser.add_argument(
            "--since", help="From this month (YYYY-MM); default: from the first case."
        )
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            help="Count the months ended before this date (YYYY-MM-DD); default: today.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        unit = None
        if options["unit"] is not None:
            unit = Unit.objects.filter(pk=options["unit"]).first()
            if unit is None:
                msg = f"There is no unit with id {options['unit']}."
                raise CommandError(msg)
        since = _month(options["since"]) if options["since"] else None
        summary = feedback_statistics_compute(
            unit=unit,
            since=since,
            today=options["today"],
            each_month=lambda months: progress(months, label="Months", stream=self.stdout),
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"{summary.rows} rows written for {summary.units} units "
                f"over {summary.months} months."
            )
        )
