"""Generate realistic data at any size for benchmarks: a municipality, its cases with
their whole history, key performance indicators, and surveys with their responses (see
`servicenav.core.generate`).
Never in production; into a database of its own, as it adds a whole municipality."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from servicenav.core.generate import AlreadyGenerated, generate


def _positive(text: str) -> int:
    number = int(text)
    if number < 0:
        msg = f"expected zero or more, got {number}"
        raise ValueError(msg)
    return number


class Command(BaseCommand):
    help = "Generate a municipality with N cases and M survey responses, for benchmarks."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=_positive, default=10_000, help="Default 10,000.")
        parser.add_argument(
            "--answers", type=_positive, default=0, help="Survey responses in all (default 0)."
        )
        parser.add_argument("--seed", type=int, default=1, help="The same seed, the same data.")
        parser.add_argument(
            "--years", type=_positive, default=4, help="Over how many years (default 4)."
        )
        parser.add_argument(
            "--until",
            type=date.fromisoformat,
            help="Cases received before this day (YYYY-MM-DD), their history up to it; "
            "default today.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("Generated data is never loaded in production.")
        if options["years"] < 1:
            raise CommandError("--years must be at least 1.")
        try:
            summary = generate(
                cases=options["cases"],
                answers=options["answers"],
                seed=options["seed"],
                years=options["years"],
                until=options["until"] or timezone.localdate(),
                stdout=self.stdout,
            )
        except AlreadyGenerated:
            raise CommandError(
                "This database already holds generated data; generate into an empty one."
            ) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {summary.units} units, {summary.cases:,} cases "
                f"({summary.open:,} open) with {summary.events:,} events and "
                f"{summary.indicators} indicators, {summary.responses:,} survey responses in "
                f"{summary.rounds} rounds, in {summary.seconds:.1f} s."
            )
        )
