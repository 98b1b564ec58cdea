"""Creating, using and revoking API keys. Each is audited; the key itself is shown once."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from servicenav.api.models import KEY_PREFIX_LENGTH, ApiKey, hash_key, new_key
from servicenav.core.audit import audit_record
from servicenav.core.models import AuditEntry

if TYPE_CHECKING:
    from servicenav.organisation.models import User

LAST_USED_PRECISION = timedelta(minutes=1)


@transaction.atomic
def api_key_create(*, name: str, by: User | None, user: User | None = None) -> tuple[ApiKey, str]:
    """A new key and its clear text, which exists only now."""
    key = new_key()
    api_key = ApiKey.objects.create(
        name=name, user=user, prefix=key[:KEY_PREFIX_LENGTH], key_hash=hash_key(key)
    )
    audit_record(
        actor=by,
        action=AuditEntry.Action.CREATE,
        obj=api_key,
        changes={"name": {"from": None, "to": name}, "user": {"from": None, "to": str(user or "")}},
    )
    return api_key, key


@transaction.atomic
def api_key_revoke(*, api_key: ApiKey, by: User | None) -> None:
    if api_key.revoked_at is not None:
        return
    api_key.revoked_at = timezone.now()
    api_key.save(update_fields=["revoked_at"])
    audit_record(
        actor=by,
        action=AuditEntry.Action.UPDATE,
        obj=api_key,
        changes={"revoked": {"from": False, "to": True}},
    )


def api_key_used(api_key: ApiKey) -> None:
    """Note the use, to the minute: a client sending requests one after another then does
    not write (and commit) its key on every one. The update itself skips a key another
    server noted meanwhile."""
    now = timezone.now()
    recent = now - LAST_USED_PRECISION
    if api_key.last_used_at is not None and api_key.last_used_at > recent:
        return
    ApiKey.objects.filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lte=recent), pk=api_key.pk
    ).update(last_used_at=now)
    api_key.last_used_at = now
