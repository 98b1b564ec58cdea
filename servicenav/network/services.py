"""Writes to the network's workspace. Every write is audited; a final report refuses
every change."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicenav.core.audit import audit_record, field_changes, snapshot
from servicenav.core.models import AuditEntry
from servicenav.core.periods import Period
from servicenav.network.models import (
    ActionItem,
    Decision,
    DirectiveVersion,
    Meeting,
    Member,
    Report,
)

if TYPE_CHECKING:
    from django.db import models

    from servicenav.organisation.models import User

logger = logging.getLogger(__name__)

# A request to mark a report final that is older than this has lost its worker.
FINALISE_STALE_AFTER = timedelta(minutes=30)

CREATE = AuditEntry.Action.CREATE
UPDATE = AuditEntry.Action.UPDATE
DELETE = AuditEntry.Action.DELETE


def _audit(obj: models.Model, *, by: User | None, action: str, changes: dict[str, Any]) -> None:
    audit_record(actor=by, action=action, obj=obj, changes=changes)


def _required(text: str, message: str) -> str:
    if not text.strip():
        raise ValidationError(message)
    return text.strip()


# Members and the chair


@transaction.atomic
def member_add(*, user: User, by: User | None, chair: bool = False) -> Member:
    """Add `user` to the network; the first member becomes the chair."""
    if Member.objects.filter(user=user).exists():
        raise ValidationError(_("%(name)s is already a member.") % {"name": user.get_username()})
    first = not Member.objects.select_for_update().exists()
    member = Member.objects.create(user=user)
    _audit(member, by=by, action=CREATE, changes={"user": {"from": None, "to": str(member)}})
    if chair or first:
        member_make_chair(member=member, by=by)
    return member


@transaction.atomic
def member_make_chair(*, member: Member, by: User | None) -> None:
    """Make `member` the chair; the previous chair stays a member."""
    previous = Member.objects.select_for_update().filter(is_chair=True).exclude(pk=member.pk)
    for old in previous:
        old.is_chair = False
        old.save(update_fields=["is_chair"])
        _audit(old, by=by, action=UPDATE, changes={"is_chair": {"from": True, "to": False}})
    if not member.is_chair:
        member.is_chair = True
        member.save(update_fields=["is_chair"])
        _audit(member, by=by, action=UPDATE, changes={"is_chair": {"from": False, "to": True}})


@transaction.atomic
def member_remove(*, member: Member, by: User | None) -> None:
    """Remove a member. The chair leaves only as the last member: make another the chair
    first, so the network always has one."""
    if member.is_chair and Member.objects.exclude(pk=member.pk).exists():
        raise ValidationError(_("Make another member the chair before the chair leaves."))
    _audit(member, by=by, action=DELETE, changes={"user": {"from": str(member), "to": None}})
    member.delete()


# The directive


@transaction.atomic
def directive_adopt(
    *, text: str, adopted_on: date, adopted_by: str, by: User | None
) -> DirectiveVersion:
    """A new version of the directive; earlier versions stay as they were."""
    text = _required(text, str(_("Write the directive's text.")))
    adopted_by = _required(adopted_by, str(_("Say who adopted the directive.")))
    latest = DirectiveVersion.objects.select_for_update().aggregate(n=Max("number"))["n"] or 0
    version = DirectiveVersion.objects.create(
        number=latest + 1, text=text, adopted_on=adopted_on, adopted_by=adopted_by, created_by=by
    )
    _audit(
        version,
        by=by,
        action=CREATE,
        changes=field_changes({}, snapshot(version, ["number", "adopted_on", "adopted_by"])),
    )
    return version


# Meetings, decisions and action items

MEETING_FIELDS = ("held_on", "agenda", "minutes")


@transaction.atomic
def meeting_create(*, held_on: date, agenda: str, by: User | None, minutes: str = "") -> Meeting:
    meeting = Meeting.objects.create(held_on=held_on, agenda=agenda.strip(), minutes=minutes)
    _audit(
        meeting, by=by, action=CREATE, changes=field_changes({}, snapshot(meeting, MEETING_FIELDS))
    )
    return meeting


@transaction.atomic
def meeting_update(*, meeting: Meeting, by: User | None, **fields: Any) -> None:
    unknown = set(fields) - set(MEETING_FIELDS)
    if unknown:
        raise ValueError(f"not a meeting field: {sorted(unknown)}")
    before = snapshot(meeting, fields)
    for name, value in fields.items():
        setattr(meeting, name, value)
    meeting.save(update_fields=list(fields))
    _audit(meeting, by=by, action=UPDATE, changes=field_changes(before, snapshot(meeting, fields)))


@transaction.atomic
def decision_add(*, meeting: Meeting, text: str, by: User | None) -> Decision:
    text = _required(text, str(_("Write the decision.")))
    order = (meeting.decisions.aggregate(n=Max("order"))["n"] or 0) + 1
    decision = Decision.objects.create(meeting=meeting, order=order, text=text)
    _audit(decision, by=by, action=CREATE, changes={"text": {"from": None, "to": text}})
    return decision


@transaction.atomic
def action_item_add(
    *, meeting: Meeting, text: str, owner: User, due_on: date, by: User | None
) -> ActionItem:
    """An action item from `meeting`; its owner must be a member of the network."""
    text = _required(text, str(_("Say what should be done.")))
    if not Member.objects.filter(user=owner).exists():
        raise ValidationError(_("The owner of an action item must be a member of the network."))
    item = ActionItem.objects.create(meeting=meeting, text=text, owner=owner, due_on=due_on)
    _audit(
        item,
        by=by,
        action=CREATE,
        changes=field_changes({}, snapshot(item, ["text", "owner", "due_on", "status"])),
    )
    return item


@transaction.atomic
def action_item_set_status(
    *, item: ActionItem, status: str, by: User | None, today: date | None = None
) -> None:
    if status not in ActionItem.Status.values:
        raise ValidationError(_("Unknown status."))
    if status == item.status:
        return
    before = item.status
    item.status = status
    item.done_on = (today or timezone.localdate()) if status == ActionItem.Status.DONE else None
    item.save(update_fields=["status", "done_on"])
    _audit(item, by=by, action=UPDATE, changes={"status": {"from": before, "to": status}})


# The service report


def report_period_kinds() -> tuple[str, ...]:
    """The kinds of period a report may cover (`SERVICENAV_REPORT_PERIOD_KINDS`)."""
    return tuple(settings.SERVICENAV_REPORT_PERIOD_KINDS)


def parse_report_period(code: str) -> Period:
    """The period `code` names, if reports cover that kind; ValidationError otherwise."""
    try:
        period = Period.parse(code.strip())
    except ValueError:
        raise ValidationError(_("Give a period such as 2026-T1 or 2026.")) from None
    if period.kind.value not in report_period_kinds():
        raise ValidationError(_("Reports are not made for that kind of period."))
    return period


def _require_draft(report: Report) -> None:
    if report.is_final:
        raise ValidationError(_("This report is final and cannot be changed."))
    if report.is_finalising:
        raise ValidationError(_("This report is being marked final and cannot be changed."))


@transaction.atomic
def report_create(*, period: Period, by: User | None, today: date | None = None) -> Report:
    if period.kind.value not in report_period_kinds():
        raise ValidationError(_("Reports are not made for that kind of period."))
    if period.end >= (today or timezone.localdate()):
        raise ValidationError(_("A report covers a period that has ended."))
    if Report.objects.filter(period=period.code).exists():
        raise ValidationError(
            _("There is already a report for %(period)s.") % {"period": period.label}
        )
    report = Report.objects.create(period=period.code, created_by=by)
    _audit(report, by=by, action=CREATE, changes={"period": {"from": None, "to": period.code}})
    return report


@transaction.atomic
def report_write(*, report: Report, summary: str, conclusions: str, by: User | None) -> None:
    """Staff's written summary and conclusions, while the report is a draft."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    _require_draft(report)
    fields = {"summary": summary.strip(), "conclusions": conclusions.strip()}
    before = snapshot(report, fields)
    for name, value in fields.items():
        setattr(report, name, value)
    report.save(update_fields=list(fields))
    _audit(report, by=by, action=UPDATE, changes=field_changes(before, snapshot(report, fields)))


# Marking final: asked for in the request, done by the background worker


def _finalise_request_stale(report: Report, now: datetime) -> bool:
    """True when a request to mark the report final has waited so long that its worker
    must have died: it may then be asked for again."""
    requested = report.finalise_requested_at
    return requested is None or now - requested > FINALISE_STALE_AFTER


@transaction.atomic
def report_request_final(*, report: Report, by: User | None) -> Report:
    """Ask for the report to be marked final. The checks are made now; the work (freezing
    the figures, making the PDFs) is done by the background task `finalise_report`, queued
    when this commits. Asking again while that is under way changes nothing, so a double
    click makes one final report."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    now = timezone.now()
    if report.is_final:
        raise ValidationError(_("This report is final and cannot be changed."))
    if report.is_finalising and not _finalise_request_stale(report, now):
        return report
    if not report.summary or not report.conclusions:
        raise ValidationError(_("Write the summary and the conclusions before marking it final."))
    before = report.status
    report.status = Report.Status.FINALISING
    report.finalise_requested_at = now
    report.finalise_failed_at = None
    report.finalised_by = by
    report.save(
        update_fields=["status", "finalise_requested_at", "finalise_failed_at", "finalised_by"]
    )
    _audit(report, by=by, action=UPDATE, changes={"status": {"from": before, "to": "finalising"}})
    report_id = report.pk
    transaction.on_commit(lambda: _enqueue_finalise(report_id), robust=True)
    return report


def _enqueue_finalise(report_id: int) -> None:
    from servicenav.network.tasks import finalise_report

    finalise_report.enqueue(report_id)


def report_finalise(*, report_id: int) -> Report | None:
    """Mark the report final, as asked by `report_request_final`: its figures are frozen
    as they are now and its PDFs (Swedish and English) are made and kept; nothing about
    it changes after this. Does nothing unless the report is being finalised (so a task
    that runs twice makes one final report). If the work fails, the report goes back to
    a draft that can be marked final again, and the error is raised for the worker's log."""
    report = Report.objects.filter(pk=report_id).first()
    if report is None or not report.is_finalising:
        return report
    try:
        final = _final_content(report)
    except Exception:
        logger.exception("Marking service report %s final failed", report_id)
        _finalise_failed(report_id)
        raise
    return _finalise_store(report_id, final)


FINAL_FIELDS = ("figures", "pdf_sv", "pdf_en", "finalised_at")


def _final_content(report: Report) -> dict[str, Any]:
    """The frozen figures, both PDFs and the time they show, made from an unsaved final
    copy of `report` (outside any transaction: this is the slow part, and holds no lock)."""
    from servicenav.network.report import report_figures, report_pdf

    report.figures = report_figures(Period.parse(report.period))
    report.status = Report.Status.FINAL
    report.finalised_at = timezone.now()
    return {
        "figures": report.figures,
        "pdf_sv": report_pdf(report, language="sv"),
        "pdf_en": report_pdf(report, language="en"),
        "finalised_at": report.finalised_at,
    }


@transaction.atomic
def _finalise_store(report_id: int, final: dict[str, Any]) -> Report:
    report = Report.objects.select_for_update().get(pk=report_id)
    if not report.is_finalising:
        return report  # another run got here first
    for name in FINAL_FIELDS:
        setattr(report, name, final[name])
    report.status = Report.Status.FINAL
    report.save(update_fields=[*FINAL_FIELDS, "status"])
    _audit(
        report,
        by=report.finalised_by,
        action=UPDATE,
        changes={"status": {"from": "finalising", "to": "final"}},
    )
    return report


@transaction.atomic
def _finalise_failed(report_id: int) -> None:
    report = Report.objects.select_for_update().get(pk=report_id)
    if not report.is_finalising:
        return
    report.status = Report.Status.DRAFT
    report.finalise_failed_at = timezone.now()
    report.save(update_fields=["status", "finalise_failed_at"])
    _audit(
        report, by=None, action=UPDATE, changes={"status": {"from": "finalising", "to": "draft"}}
    )
