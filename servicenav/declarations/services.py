"""Writes to service declarations: writing drafts, the approval lifecycle and follow-up.

draft → sent for approval → approved (by a unit manager) → published → archived. A draft
is the only version that changes; the manager may send a version back to draft with a
comment. Publishing archives the version in force, so exactly one is published at a time.
Every write is audited against the declaration's unit."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicenav.core.audit import audit_record, field_changes, snapshot
from servicenav.core.models import AuditEntry
from servicenav.core.periods import add_months
from servicenav.declarations.access import can_approve
from servicenav.declarations.models import Commitment, Declaration, FollowUp, Measure, Version

if TYPE_CHECKING:
    from collections.abc import Mapping

    from servicenav.core.periods import Period
    from servicenav.organisation.models import Unit, User

COMMITMENT_FIELDS = (
    "order",
    "text_sv",
    "text_en",
    "kind",
    "measure",
    "limit_days",
    "threshold",
    "min_cases",
)
MEASURES_WITH_A_LIMIT = {Measure.ACKNOWLEDGED_WITHIN, Measure.ANSWERED_WITHIN}


def _audit(
    obj: Version | Commitment | FollowUp | Declaration,
    unit: Unit,
    *,
    by: User | None,
    changes: dict[str, Any],
    action: str = AuditEntry.Action.UPDATE,
) -> None:
    audit_record(actor=by, action=action, obj=obj, unit=unit, changes=changes)


def _require_status(version: Version, *statuses: str) -> None:
    if version.status not in statuses:
        raise ValidationError(
            _("This version is %(status)s and cannot be changed that way.")
            % {"status": version.get_status_display()}
        )


def _check_content(content: Mapping[str, Any]) -> None:
    if "service_sv" in content and not str(content["service_sv"]).strip():
        raise ValidationError(_("Name the service the declaration describes."))
    unknown = set(content) - set(Version.CONTENT_FIELDS)
    if unknown:
        raise ValueError(f"not a declaration text: {sorted(unknown)}")


@transaction.atomic
def declaration_create(
    *, unit: Unit, by: User | None, owner: User | None = None, **content: Any
) -> Version:
    """A new declaration for `unit`, as its first draft version."""
    _check_content({"service_sv": "", **content})
    declaration = Declaration.objects.create(unit=unit, owner=owner or by)
    version = Version.objects.create(declaration=declaration, number=1, created_by=by, **content)
    _audit(
        declaration,
        unit,
        by=by,
        action=AuditEntry.Action.CREATE,
        changes=field_changes({}, snapshot(version, Version.CONTENT_FIELDS)),
    )
    return version


@transaction.atomic
def version_update(*, version: Version, by: User | None, **content: Any) -> None:
    """Change a draft's texts."""
    _require_status(version, Version.Status.DRAFT)
    _check_content(content)
    before = snapshot(version, content)
    for name, value in content.items():
        setattr(version, name, value)
    version.save(update_fields=list(content))
    _audit(version, version.unit, by=by, changes=field_changes(before, snapshot(version, content)))


def _check_commitment(fields: Mapping[str, Any]) -> None:
    if not str(fields.get("text_sv", "")).strip():
        raise ValidationError(_("Write the promise in Swedish."))
    if fields.get("kind", Commitment.Kind.MEASURABLE) != Commitment.Kind.MEASURABLE:
        return
    if not fields.get("measure"):
        raise ValidationError(_("Choose how a measurable promise is measured."))
    if fields.get("threshold") is None:
        raise ValidationError(_("Give the share (%) at which the promise counts as kept."))
    if fields["measure"] in MEASURES_WITH_A_LIMIT and not fields.get("limit_days"):
        raise ValidationError(_("Give the limit in working days."))


@transaction.atomic
def commitment_add(*, version: Version, by: User | None, **fields: Any) -> Commitment:
    _require_status(version, Version.Status.DRAFT)
    _check_commitment(fields)
    if "order" not in fields:
        fields["order"] = (version.commitments.aggregate(Max("order"))["order__max"] or 0) + 1
    commitment = Commitment.objects.create(version=version, **fields)
    _audit(
        commitment,
        version.unit,
        by=by,
        action=AuditEntry.Action.CREATE,
        changes=field_changes({}, snapshot(commitment, COMMITMENT_FIELDS)),
    )
    return commitment


@transaction.atomic
def commitment_update(*, commitment: Commitment, by: User | None, **fields: Any) -> None:
    _require_status(commitment.version, Version.Status.DRAFT)
    _check_commitment({**snapshot(commitment, COMMITMENT_FIELDS), **fields})
    before = snapshot(commitment, fields)
    for name, value in fields.items():
        setattr(commitment, name, value)
    commitment.save(update_fields=list(fields))
    changes = field_changes(before, snapshot(commitment, fields))
    _audit(commitment, commitment.version.unit, by=by, changes=changes)


@transaction.atomic
def commitment_remove(*, commitment: Commitment, by: User | None) -> None:
    _require_status(commitment.version, Version.Status.DRAFT)
    unit = commitment.version.unit
    _audit(
        commitment,
        unit,
        by=by,
        action=AuditEntry.Action.DELETE,
        changes=field_changes(snapshot(commitment, COMMITMENT_FIELDS), {}),
    )
    commitment.delete()


def _set_status(version: Version, status: str, *, by: User | None, **fields: Any) -> None:
    changes = {"status": {"from": version.status, "to": status}}
    version.status = status
    for name, value in fields.items():
        setattr(version, name, value)
    version.save(update_fields=["status", *fields])
    _audit(version, version.unit, by=by, changes=changes)


@transaction.atomic
def version_submit(*, version: Version, by: User | None, at: datetime | None = None) -> None:
    """Send a draft to the unit manager for approval; from now on its text is frozen."""
    _require_status(version, Version.Status.DRAFT)
    if not version.commitments.exists():
        raise ValidationError(_("Add at least one promise before sending for approval."))
    _set_status(
        version,
        Version.Status.PENDING,
        by=by,
        submitted_at=at or timezone.now(),
        returned_comment="",
    )


def _require_approver(version: Version, by: User | None) -> None:
    if by is None or not can_approve(by, version.unit):
        raise PermissionDenied(_("Only a manager of the unit approves its declarations."))


@transaction.atomic
def version_return(*, version: Version, by: User, comment: str) -> None:
    """The manager sends a version back to draft, saying what to change."""
    _require_approver(version, by)
    _require_status(version, Version.Status.PENDING, Version.Status.APPROVED)
    if not comment.strip():
        raise ValidationError(_("Say what should be changed."))
    _set_status(version, Version.Status.DRAFT, by=by, returned_comment=comment.strip())


@transaction.atomic
def version_approve(
    *,
    version: Version,
    by: User,
    review_by: date | None = None,
    at: datetime | None = None,
) -> None:
    """A manager of the unit vouches that the promises are achievable. The review-by date
    defaults to `SERVICENAV_DECLARATION_REVIEW_MONTHS` after approval."""
    _require_approver(version, by)
    _require_status(version, Version.Status.PENDING)
    now = at or timezone.now()
    default_review = add_months(
        timezone.localdate(now), settings.SERVICENAV_DECLARATION_REVIEW_MONTHS
    )
    if review_by is not None and review_by <= timezone.localdate(now):
        raise ValidationError(_("The review-by date must be in the future."))
    _set_status(
        version,
        Version.Status.APPROVED,
        by=by,
        approved_by=by,
        approved_at=now,
        review_by=review_by or default_review,
    )


@transaction.atomic
def version_publish(
    *,
    version: Version,
    by: User | None,
    valid_from: date | None = None,
    at: datetime | None = None,
) -> None:
    """Put an approved version in force from `valid_from` (default today), archiving the
    version it replaces so that the history shows who promised what when."""
    _require_status(version, Version.Status.APPROVED)
    now = at or timezone.now()
    starts = valid_from or timezone.localdate(now)
    if starts > timezone.localdate(now):
        # Published means in force: the public page shows it as today's promise.
        raise ValidationError(_("Publish the version on the day it takes effect, not before."))
    previous = version.declaration.versions.select_for_update().filter(
        status=Version.Status.PUBLISHED
    )
    for old in previous:
        if old.valid_from and starts <= old.valid_from:
            raise ValidationError(_("The new version must start after the one in force."))
        _archive(old, by=by, at=now, last_day=starts - timedelta(days=1))
    _set_status(version, Version.Status.PUBLISHED, by=by, published_at=now, valid_from=starts)


def _archive(version: Version, *, by: User | None, at: datetime, last_day: date) -> None:
    _set_status(version, Version.Status.ARCHIVED, by=by, archived_at=at, valid_until=last_day)


@transaction.atomic
def declaration_withdraw(
    *, declaration: Declaration, by: User | None, at: datetime | None = None
) -> None:
    """Stop promising: the version in force is archived and nothing replaces it."""
    now = at or timezone.now()
    current = declaration.versions.select_for_update().filter(status=Version.Status.PUBLISHED)
    if not current:
        raise ValidationError(_("The declaration has no published version to withdraw."))
    for version in current:
        _archive(version, by=by, at=now, last_day=timezone.localdate(now))


@transaction.atomic
def version_new_draft(*, declaration: Declaration, by: User | None) -> Version:
    """A draft to edit, copied from the newest version with its promises (which keep their
    keys, so their follow-up history continues). An unfinished version is returned as is:
    a declaration has at most one version in the works."""
    latest = declaration.versions.select_for_update().order_by("-number").first()
    if latest is None:
        raise ValidationError(_("The declaration has no version to copy."))
    if latest.status in {Version.Status.DRAFT, Version.Status.PENDING, Version.Status.APPROVED}:
        return latest
    content = {name: getattr(latest, name) for name in Version.CONTENT_FIELDS}
    draft = Version.objects.create(
        declaration=declaration, number=latest.number + 1, created_by=by, **content
    )
    for commitment in latest.commitments.all():
        fields = {name: getattr(commitment, name) for name in COMMITMENT_FIELDS}
        Commitment.objects.create(version=draft, key=commitment.key, **fields)
    _audit(
        draft,
        declaration.unit,
        by=by,
        action=AuditEntry.Action.CREATE,
        changes={"version": {"from": latest.number, "to": draft.number}},
    )
    return draft


def _follow_up_for(commitment: Commitment, period: Period) -> FollowUp:
    """The period's follow-up of this promise (across versions), ready to be filled in."""
    existing = FollowUp.objects.filter(commitment_key=commitment.key, period=period.code).first()
    return existing or FollowUp(
        commitment_key=commitment.key,
        period=period.code,
        period_start=period.start,
        period_end=period.end,
    )


@transaction.atomic
def follow_up_assess(
    *, commitment: Commitment, period: Period, kept: bool, comment: str, by: User
) -> FollowUp:
    """A qualitative promise's self-assessment for a period: kept or not, and why."""
    if commitment.is_measurable:
        raise ValidationError(_("A measurable promise is judged from the data."))
    if not comment.strip():
        raise ValidationError(_("Write a short comment on the assessment."))
    if period.end >= timezone.localdate():
        raise ValidationError(_("A period is followed up once it has ended."))
    if period.kind != commitment.version.period_kind:
        raise ValidationError(_("Choose a period of the kind this declaration is followed up by."))
    follow_up = _follow_up_for(commitment, period)
    before = snapshot(follow_up, ["result", "comment"]) if follow_up.pk else {}
    follow_up.commitment = commitment
    follow_up.result = FollowUp.Result.KEPT if kept else FollowUp.Result.NOT_KEPT
    follow_up.comment = comment.strip()
    follow_up.assessed_by = by
    follow_up.updated_at = timezone.now()
    follow_up.save()
    changes = field_changes(before, snapshot(follow_up, ["result", "comment"]))
    _audit(follow_up, commitment.version.unit, by=by, changes=changes)
    return follow_up


@transaction.atomic
def follow_up_explain(
    *, follow_up: FollowUp, explanation: str, planned_action: str, by: User
) -> None:
    """Why a promise was not kept in a period, and what the unit will do about it."""
    if follow_up.result != FollowUp.Result.NOT_KEPT:
        raise ValidationError(_("Only a promise that was not kept needs an explanation."))
    if not explanation.strip():
        raise ValidationError(_("Explain why the promise was not kept."))
    fields = ["explanation", "planned_action"]
    before = snapshot(follow_up, fields)
    follow_up.explanation, follow_up.planned_action = explanation.strip(), planned_action.strip()
    follow_up.save(update_fields=fields)
    changes = field_changes(before, snapshot(follow_up, fields))
    _audit(follow_up, follow_up.commitment.version.unit, by=by, changes=changes)
