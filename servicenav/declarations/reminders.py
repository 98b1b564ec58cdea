"""Review reminders: when a published declaration reaches its review-by date, its owner and
the quality coordinators of its unit (or a unit above) are asked to review it — once per
review-by date, so a new version approved with a new date is reminded of again.

A daily command (`manage.py declaration_reminders`) calls `review_reminders_send`. Each
person gets one e-mail per run listing their declarations; it names the service, the unit
and the date, and links to the staff page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation

from servicenav.core.emails import email_send
from servicenav.core.progress import Writable, progress
from servicenav.declarations.models import Version
from servicenav.organisation.models import Role, RoleAssignment

if TYPE_CHECKING:
    from collections.abc import Iterable

    from servicenav.organisation.models import User


@dataclass(frozen=True)
class ReviewRun:
    """What one run did: declarations reminded of, and to how many people."""

    declarations: int
    people: int


def reviews_due(*, today: date) -> list[Version]:
    """Published versions whose review-by date has come and not yet been reminded of."""
    return list(
        Version.objects.filter(status=Version.Status.PUBLISHED, review_by__lte=today)
        .filter(Q(review_reminded_for__isnull=True) | ~Q(review_reminded_for=F("review_by")))
        .select_related("declaration__unit", "declaration__owner")
        .order_by("review_by", "declaration__unit__path", "declaration_id")
    )


def _unit_ids(version: Version) -> list[int]:
    """The declaration's unit and every unit above it (the ids in its path)."""
    return [int(part) for part in version.unit.path.strip("/").split("/") if part]


def _can_be_told(user: User | None) -> bool:
    return user is not None and user.is_active and bool(user.email)


def review_recipients(versions: Iterable[Version]) -> dict[User, list[Version]]:
    """Who hears about which declarations: the owner and every quality coordinator of the
    unit or a unit above it, each person once."""
    versions = list(versions)
    coordinators: dict[int, list[User]] = {}
    assignments = (
        RoleAssignment.objects.filter(
            unit_id__in={unit_id for version in versions for unit_id in _unit_ids(version)},
            role=Role.QUALITY_COORDINATOR,
            user__is_active=True,
        )
        .exclude(user__email="")
        .select_related("user")
    )
    for assignment in assignments:
        coordinators.setdefault(assignment.unit_id, []).append(assignment.user)
    people: dict[int, User] = {}
    lists: dict[int, list[Version]] = {}
    for version in versions:
        owner = version.declaration.owner
        told = [owner] if owner is not None and _can_be_told(owner) else []
        told += [user for unit_id in _unit_ids(version) for user in coordinators.get(unit_id, [])]
        for user in {user.pk: user for user in told}.values():
            people.setdefault(user.pk, user)
            lists.setdefault(user.pk, []).append(version)
    return {people[pk]: lists[pk] for pk in sorted(people)}


def _staff_link(version: Version) -> str:
    path = reverse("declarations:staff-detail", args=[version.declaration_id])
    return f"{settings.SERVICENAV_SITE_URL}{path}"


def _email_context(user: User, versions: list[Version]) -> dict[str, Any]:
    """Rendered in the staff language, so the service and unit are named in it too."""
    with translation.override(settings.LANGUAGE_CODE):
        rows = [
            {
                "service": version.service,
                "unit": str(version.unit),
                "number": version.number,
                "review_by": version.review_by,
                "link": _staff_link(version),
            }
            for version in versions
        ]
    recipient = user.get_full_name() or user.get_username()
    return {"recipient": recipient, "declarations": rows, "count": len(rows)}


@transaction.atomic
def review_reminders_send(
    *, today: date | None = None, stream: Writable | None = None
) -> ReviewRun:
    """Queue today's review reminders, one e-mail per person, and mark each declaration's
    review-by date as reminded of in the same transaction. A declaration nobody can be
    told about is not marked, so it is reminded of once someone can be."""
    today = today or timezone.localdate()
    due = reviews_due(today=today)
    recipients = review_recipients(due)
    people = list(recipients.items())
    steps = people if stream is None else progress(people, label="Reminders", stream=stream)
    for user, versions in steps:
        email_send(
            to=user.email,
            template="declaration_review",
            context=_email_context(user, versions),
            language=settings.LANGUAGE_CODE,
        )
    told = {version.pk for versions in recipients.values() for version in versions}
    for version in due:
        if version.pk in told:
            Version.objects.filter(pk=version.pk).update(review_reminded_for=version.review_by)
    return ReviewRun(declarations=len(told), people=len(people))
