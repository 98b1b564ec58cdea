"""Create an API key from a script: `manage.py create_api_key --name "E-tjänst X"` for an
Open311 integrator, add `--user anna` for a staff REST token. The key itself is printed
once, alone on standard output, so a script can capture it; it is not stored."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from servicenav.api.models import ApiKey
from servicenav.api.services import api_key_create
from servicenav.organisation.models import User


class Command(BaseCommand):
    help = "Create an API key and print it once (an Open311 key, or a staff token with --user)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True, help="Who uses the key, and for what.")
        parser.add_argument(
            "--user", default="", help="User name of the staff member a REST token acts as."
        )

    def handle(self, *args: Any, name: str, user: str, **options: Any) -> None:
        name = name.strip()
        max_length = ApiKey._meta.get_field("name").max_length or 0
        if not name or len(name) > max_length:
            raise CommandError(f"--name must be 1 to {max_length} characters.")
        owner = None
        if user:
            owner = User.objects.filter(username=user).first()
            if owner is None or not owner.is_active:
                raise CommandError(f"There is no active user named {user!r}.")
        api_key, key = api_key_create(name=name, user=owner, by=None)
        kind = f"a staff token acting as {owner.username}" if owner else "an Open311 key"
        self.stderr.write(
            f"Created {kind}: {api_key.name!r}, id {api_key.pk}, beginning {api_key.prefix}. "
            "The key follows on standard output, once; only its hash is kept."
        )
        self.stdout.write(key)
