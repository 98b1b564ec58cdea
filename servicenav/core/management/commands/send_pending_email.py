"""Re-enqueue e-mail that is still waiting; a scheduler runs this every few minutes."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from servicenav.core.emails import pending_email_requeue


class Command(BaseCommand):
    help = "Queue delivery of every e-mail that is waiting and due."

    def handle(self, *args: Any, **options: Any) -> None:
        count = pending_email_requeue()
        self.stdout.write(f"Queued {count} waiting e-mail(s) for delivery.")
