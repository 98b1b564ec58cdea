"""Delete delivered (and undeliverable) e-mail from the outbox; a scheduler runs it daily."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from servicenav.core.emails import sent_email_prune


class Command(BaseCommand):
    help = "Delete sent and undeliverable e-mail older than a number of days (default 30)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=30)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["days"] < 1:
            self.stderr.write("--days must be at least 1.")
            return
        count = sent_email_prune(older_than=timedelta(days=options["days"]))
        self.stdout.write(f"Deleted {count} e-mail(s) from the outbox.")
