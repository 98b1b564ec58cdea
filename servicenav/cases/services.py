"""Writes to cases. Every change is a CaseEvent (the case's own history, partly shown to
the citizen) and an audit entry; e-mail goes out when the change commits.

Every service takes an optional keyword `at`: when the change happened (default: now). It
dates the case's events and clocks, so tests and the demo data can tell a case's story in
the past; the audit log always records the real time of the write."""

from __future__ import annotations

import functools
import secrets
import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any, ParamSpec

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from servicenav.cases import deadlines
from servicenav.cases.attachments import PreparedUpload, attachment_store
from servicenav.cases.models import (
    Case,
    CaseEvent,
    Category,
    Channel,
    Kind,
    Outcome,
    ReferenceCounter,
    Status,
    hash_follow_up_code,
)
from servicenav.core.audit import audit_record
from servicenav.core.emails import email_send
from servicenav.core.models import AuditEntry
from servicenav.core.selectors import working_calendar
from servicenav.declarations.models import Version
from servicenav.declarations.selectors import promise_relates_to
from servicenav.kpis.stale import mark_case_stale, mark_stale

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

    from servicenav.api.models import ApiKey
    from servicenav.declarations.models import Commitment
    from servicenav.organisation.models import ServiceValue, Unit, User

P = ParamSpec("P")

MAX_TEXT_LENGTH = 4000
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread
CODE_LENGTH = 12
LINK_SALT = "servicenav.cases.link"
ACKNOWLEDGING_EVENTS = {
    CaseEvent.Type.ACKNOWLEDGED,
    CaseEvent.Type.ASSIGNED,
    CaseEvent.Type.REPLY,
    CaseEvent.Type.CLOSED,
}


def new_follow_up_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def citizen_link(case: Case) -> str:
    """A link to the case page for the citizen's e-mail: a signed token stands in for the
    follow-up code, which is stored only as a hash."""
    token = signing.dumps(case.reference, salt=LINK_SALT)
    with override(case.language):
        path = reverse("cases:public-case", args=[case.reference])
    return f"{settings.SERVICENAV_SITE_URL}{path}?l={token}"


def citizen_link_matches(case: Case, token: str) -> bool:
    try:
        return bool(signing.loads(token, salt=LINK_SALT) == case.reference)
    except signing.BadSignature:
        return False


# The year's next number in one statement, which makes the year's row if it is the first
# case of the year. It locks the row until the transaction ends, so numbers have no gaps:
# a rolled-back case gives its number back. Names are quoted by the backend.
NEXT_NUMBER = (
    "INSERT INTO {table} ({year}, {last}) VALUES (%s, 1) "
    "ON CONFLICT ({year}) DO UPDATE SET {last} = {table}.{last} + 1 RETURNING {last}"
)


def _next_reference(received_at: datetime) -> str:
    """The next reference of the year the feedback was received (in the municipality's
    time zone). Every other new case of that year waits for this transaction from here on,
    so it is taken as late as possible."""
    year = deadlines.local_date(received_at).year
    quote = connection.ops.quote_name
    meta = ReferenceCounter._meta
    sql = NEXT_NUMBER.format(
        table=quote(meta.db_table),
        year=quote(meta.get_field("year").column),
        last=quote(meta.get_field("last").column),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [year])
        (number,) = cursor.fetchone()
    return f"S-{year}-{number:05d}"


def _record(
    case: Case,
    type: str,
    *,
    by: User | None,
    at: datetime | None = None,
    text: str = "",
    public: bool = False,
    **data: Any,
) -> CaseEvent:
    """Add an event to the case's history and the same change to the audit log."""
    now = at or timezone.now()
    if by is not None and type in ACKNOWLEDGING_EVENTS and case.acknowledged_at is None:
        case.acknowledged_at = now
        case.acknowledged_in_time = deadlines.in_time(now, case.acknowledge_by)
        case.save(update_fields=["acknowledged_at", "acknowledged_in_time"])
    event = CaseEvent.objects.create(
        case=case, at=now, actor=by, type=type, text=text, data=data, is_public=public
    )
    action = (
        AuditEntry.Action.CREATE if type == CaseEvent.Type.CREATED else AuditEntry.Action.UPDATE
    )
    audit_record(
        actor=by, action=action, obj=case, unit=case.unit, changes=_audit_changes(type, data)
    )
    # KPIs: the unit's figures are recomputed in the background (one small upsert here).
    mark_case_stale(case)
    return event


def _audit_changes(type: str, data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    changes = {"event": {"from": None, "to": type}}
    for name, value in data.items():
        changes[name] = value if isinstance(value, dict) else {"from": None, "to": value}
    return changes


def _first_of_a_double_submit(
    submit: Callable[P, tuple[Case, str]],
) -> Callable[P, tuple[Case, str]]:
    """A repeated send of one form (a double click, an integrator's retry) finds its
    submission token taken when it stores its case, after waiting for the first send to
    commit when both came at the same moment. Its transaction rolls back, reference number
    and all, and it answers with the first send's case and no code. (The unique token
    decides, rather than a look-up before: that would be a query on every new case.)"""

    @functools.wraps(submit)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> tuple[Case, str]:
        try:
            return submit(*args, **kwargs)
        except IntegrityError:
            token = kwargs.get("submission_token")
            existing = (
                Case.objects.filter(submission_token=token).first()
                if isinstance(token, uuid.UUID)
                else None
            )
            if existing is None:
                raise
            return existing, ""

    return wrapper


@_first_of_a_double_submit
@transaction.atomic
def case_submit(
    *,
    kind: str,
    text: str,
    unit: Unit | None = None,
    category: Category | None = None,
    channel: str = Channel.WEB,
    received_at: datetime | None = None,
    place: str = "",
    latitude: Any = None,
    longitude: Any = None,
    reporter_name: str = "",
    reporter_email: str = "",
    reporter_phone: str = "",
    wants_answer: bool = False,
    language: str = "sv",
    submission_token: uuid.UUID | None = None,
    attachments: Sequence[PreparedUpload] = (),
    attributes: dict[str, Any] | None = None,
    api_key: ApiKey | None = None,
    commitment: Commitment | None = None,
    by: User | None = None,
    at: datetime | None = None,
) -> tuple[Case, str]:
    """Register feedback, from a citizen (`by` None) or from staff for another channel.

    Returns the case and its follow-up code, which exists in clear text only now. A
    repeated `submission_token` returns the case it already made, with no code.
    `attachments` (checked by `attachments.attachment_prepare`) are stored with the case;
    `attributes` are answers to the category's questions, already checked by the caller;
    `api_key` is the integrator's key when the case came through Open311; `commitment` is
    the promise in a service declaration the feedback is about (see `_check_commitment`).

    Everything a new case writes commits at once, the queued acknowledgement included: one
    transaction, one disk sync."""
    now = at or timezone.now()
    received_at = received_at or now
    _check_submission(kind=kind, channel=channel, text=text, unit=unit, category=category)
    if commitment is not None:
        _check_commitment(commitment, unit)
    if received_at > now:
        raise ValidationError(_("The time received cannot be in the future."))
    code = new_follow_up_code()
    case = Case(
        follow_up_hash=hash_follow_up_code(code),
        kind=kind,
        channel=channel,
        unit=unit,
        category=category,
        text=text,
        attributes=attributes or {},
        api_key=api_key,
        commitment=commitment,
        place=place,
        latitude=latitude,
        longitude=longitude,
        reporter_name=reporter_name,
        reporter_email=reporter_email,
        reporter_phone=reporter_phone,
        wants_answer=wants_answer and bool(reporter_email or reporter_phone),
        language=language,
        received_at=received_at,
        registered_at=now,
        submission_token=submission_token,
    )
    deadlines.start_clocks(case, working_calendar())
    case.reference = _next_reference(received_at)
    case.save(force_insert=True)
    promise: dict[str, Any] = {"commitment": _promise_label(commitment)} if commitment else {}
    _record(case, CaseEvent.Type.CREATED, by=by, at=now, public=True, channel=channel, **promise)
    for upload in attachments:
        attachment_store(case=case, upload=upload)
    if case.can_be_emailed:
        _email_citizen(case, "case_receipt", {"code": code})
    return case, code


def _check_submission(
    *, kind: str, channel: str, text: str, unit: Unit | None, category: Category | None
) -> None:
    if kind not in Kind.values or channel not in Channel.values:
        raise ValidationError(_("Choose what kind of feedback it is and how it came."))
    if not text.strip() or len(text) > MAX_TEXT_LENGTH:
        raise ValidationError(_("Write the feedback, at most 4,000 characters."))
    if category is not None and (unit is None or category.unit_id != unit.pk):
        raise ValidationError(_("The category belongs to another unit."))


def _check_commitment(commitment: Commitment, unit: Unit | None) -> None:
    """Feedback links to a promise in force, of a declaration of its unit or of a unit
    above or below it. Feedback without a unit (the triage queue) may name any such promise."""
    version = commitment.version
    if version.status != Version.Status.PUBLISHED:
        raise ValidationError(_("Only a promise of a declaration in force can be linked."))
    if unit is not None and not promise_relates_to(commitment, unit):
        raise ValidationError(_("The promise belongs to a declaration of an unrelated unit."))


def _promise_label(commitment: Commitment | None) -> str | None:
    """How the history and the audit log name a promise (in Swedish, like the record)."""
    if commitment is None:
        return None
    return f"{commitment.version.service_sv}: {commitment.text_sv}"


def _email_citizen(case: Case, template: str, context: dict[str, Any]) -> None:
    email_send(
        to=case.reporter_email,
        template=template,
        context={"case": case, "link": citizen_link(case), **context},
        language=case.language,
    )


def _save(case: Case, *fields: str) -> None:
    case.save(update_fields=list(fields))


@transaction.atomic
def case_acknowledge(*, case: Case, by: User, at: datetime | None = None) -> None:
    _record(case, CaseEvent.Type.ACKNOWLEDGED, by=by, at=at)


@transaction.atomic
def case_assign(*, case: Case, to: User | None, by: User, at: datetime | None = None) -> None:
    previous = str(case.assigned_to or "")
    case.assigned_to = to
    _save(case, "assigned_to")
    _record(
        case,
        CaseEvent.Type.ASSIGNED,
        by=by,
        at=at,
        handler={"from": previous or None, "to": str(to) if to else None},
    )


@transaction.atomic
def case_move(*, case: Case, unit: Unit, reason: str, by: User, at: datetime | None = None) -> None:
    """Route a case to another unit; its category belonged to the old one."""
    if not reason.strip():
        raise ValidationError(_("Say why the case is moved."))
    previous = str(case.unit or "")
    # KPIs: the case leaves the old unit's figures and joins the new one's; both are marked,
    # in id order so that two moves in opposite directions cannot deadlock.
    for unit_id in sorted({pk for pk in (case.unit_id, unit.pk) if pk is not None}):
        mark_stale(unit_id, deadlines.local_date(case.received_at))
    case.unit, case.category, case.assigned_to = unit, None, None
    _save(case, "unit", "category", "assigned_to")
    _record(
        case,
        CaseEvent.Type.MOVED,
        by=by,
        at=at,
        text=reason,
        unit={"from": previous or None, "to": str(unit)},
    )


@transaction.atomic
def case_categorise(
    *, case: Case, category: Category | None, by: User, at: datetime | None = None
) -> None:
    if category is not None and category.unit_id != case.unit_id:
        raise ValidationError(_("The category belongs to another unit."))
    previous = str(case.category or "")
    case.category = category
    _save(case, "category")
    _record(
        case,
        CaseEvent.Type.CATEGORISED,
        by=by,
        at=at,
        category={"from": previous or None, "to": str(category) if category else None},
    )


def _set_status(
    case: Case, status: str, *, by: User | None, text: str = "", at: datetime | None = None
) -> None:
    previous = case.status
    now = at or timezone.now()
    calendar = working_calendar()
    if previous == Status.WAITING and status != Status.WAITING:
        deadlines.resume(case, now, calendar)
    if status == Status.WAITING:
        deadlines.pause(case, now)
    case.status = status
    _save(case, "status", "waiting_since", "paused_days", "answer_by")
    _record(
        case,
        CaseEvent.Type.STATUS,
        by=by,
        at=now,
        text=text,
        public=True,
        status={"from": previous, "to": status},
    )


def _require_open(case: Case) -> None:
    if case.is_closed:
        raise ValidationError(_("The case is closed. Reopen it first."))


@transaction.atomic
def case_start(*, case: Case, by: User, at: datetime | None = None) -> None:
    _require_open(case)
    if case.status != Status.IN_PROGRESS:
        _set_status(case, Status.IN_PROGRESS, by=by, at=at)


@transaction.atomic
def case_wait(*, case: Case, by: User, reason: str = "", at: datetime | None = None) -> None:
    """Waiting for the citizen or another party: the answer clock stops meanwhile."""
    _require_open(case)
    if case.status != Status.WAITING:
        _set_status(case, Status.WAITING, by=by, text=reason, at=at)


@transaction.atomic
def case_note(*, case: Case, text: str, by: User, at: datetime | None = None) -> CaseEvent:
    """An internal note: never shown to the citizen."""
    if not text.strip():
        raise ValidationError(_("Write the note."))
    return _record(case, CaseEvent.Type.NOTE, by=by, at=at, text=text)


@transaction.atomic
def case_reply(*, case: Case, text: str, by: User, at: datetime | None = None) -> CaseEvent:
    """A reply to the citizen: on the case page always, by e-mail when there is an address."""
    if not text.strip():
        raise ValidationError(_("Write the reply."))
    now = at or timezone.now()
    if case.first_reply_at is None:
        case.first_reply_at = now
        _save(case, "first_reply_at")
    event = _record(case, CaseEvent.Type.REPLY, by=by, at=now, text=text, public=True)
    if case.status == Status.NEW:
        _set_status(case, Status.IN_PROGRESS, by=by, at=now)
    if case.can_be_emailed:
        _email_citizen(case, "case_reply", {"reply": text})
    return event


OUTCOMES_NEEDING_A_NOTE = {
    Outcome.NO_ACTION: _("Give the reason why nothing is done."),
    Outcome.REFERRED: _("Name the authority the case is referred to."),
}


@transaction.atomic
def case_close(
    *, case: Case, outcome: str, by: User | None, note: str = "", at: datetime | None = None
) -> None:
    """Close with an outcome. The first close freezes whether the answer was in time."""
    _require_open(case)
    if outcome not in Outcome.values:
        raise ValidationError(_("Choose an outcome."))
    if outcome in OUTCOMES_NEEDING_A_NOTE and not note.strip():
        raise ValidationError(OUTCOMES_NEEDING_A_NOTE[Outcome(outcome)])
    now = at or timezone.now()
    if case.status == Status.WAITING:
        deadlines.resume(case, now, working_calendar())
    case.status, case.outcome, case.outcome_note, case.closed_at = Status.CLOSED, outcome, note, now
    if case.answered_in_time is None:
        case.answered_in_time = deadlines.in_time(now, case.answer_by)
    _save(
        case,
        "status",
        "outcome",
        "outcome_note",
        "closed_at",
        "answered_in_time",
        "waiting_since",
        "paused_days",
        "answer_by",
    )
    _record(case, CaseEvent.Type.CLOSED, by=by, at=now, text=note, public=True, outcome=outcome)


def reopen_window_open(case: Case, *, at: datetime | None = None) -> bool:
    """A citizen may reopen their closed case for a while after it closed."""
    if not case.is_closed or case.closed_at is None or case.merged_into_id:
        return False
    days = ((at or timezone.now()) - case.closed_at).days
    return days <= settings.SERVICENAV_REOPEN_DAYS and case.anonymised_at is None


@transaction.atomic
def case_reopen(
    *, case: Case, by: User | None, reason: str = "", at: datetime | None = None
) -> None:
    """Reopen a closed case: the outcome stays in the history; a new answer clock starts."""
    if not case.is_closed:
        raise ValidationError(_("The case is not closed."))
    now = at or timezone.now()
    if by is None and not reopen_window_open(case, at=now):
        raise ValidationError(_("The case can no longer be reopened from this page."))
    previous = case.outcome
    # A duplicate reopened is no longer merged: it is handled on its own again.
    merged = {}
    if case.merged_into is not None:
        merged["merged_into"] = {"from": case.merged_into.reference, "to": None}

    deadlines.restart_answer_clock(case, now, working_calendar())
    case.reminders.all().delete()  # a new answer clock earns its own deadline reminders
    case.status, case.outcome, case.outcome_note, case.closed_at = Status.IN_PROGRESS, "", "", None
    case.merged_into = None
    _save(
        case,
        "status",
        "outcome",
        "outcome_note",
        "closed_at",
        "merged_into",
        "clock_started_on",
        "paused_days",
        "waiting_since",
        "answer_by",
    )
    _record(
        case,
        CaseEvent.Type.REOPENED,
        by=by,
        at=now,
        text=reason,
        public=True,
        outcome={"from": previous, "to": None},
        **merged,
    )


@transaction.atomic
def citizen_message(*, case: Case, text: str, at: datetime | None = None) -> CaseEvent:
    """The citizen answers from the case page; a case waiting for them resumes."""
    if not text.strip():
        raise ValidationError(_("Write your message."))
    if case.is_closed:
        raise ValidationError(_("The case is closed. Reopen it to write more."))
    event = _record(case, CaseEvent.Type.CITIZEN_MESSAGE, by=None, at=at, text=text, public=True)
    if case.status == Status.WAITING:
        _set_status(case, Status.IN_PROGRESS, by=None, at=at)
    return event


@transaction.atomic
def case_link(*, case: Case, other: Case, by: User, at: datetime | None = None) -> None:
    """Link two related cases; the link, and the event, show on both."""
    if other.pk == case.pk:
        raise ValidationError(_("A case cannot be linked to itself."))
    case.related.add(other)
    _record(case, CaseEvent.Type.LINKED, by=by, at=at, related=other.reference)
    _record(other, CaseEvent.Type.LINKED, by=by, at=at, related=case.reference)


@transaction.atomic
def case_merge(*, case: Case, into: Case, by: User, at: datetime | None = None) -> None:
    """Close `case` as a duplicate of `into`; each case's history says so."""
    _require_open(case)
    if into.pk == case.pk or into.merged_into_id is not None:
        raise ValidationError(_("Choose another case to merge into."))
    case.merged_into = into
    _save(case, "merged_into")
    case.related.add(into)
    _record(into, CaseEvent.Type.MERGED, by=by, at=at, duplicate=case.reference)
    case_close(case=case, outcome=Outcome.DUPLICATE, by=by, note=into.reference, at=at)


@transaction.atomic
def case_link_commitment(
    *, case: Case, commitment: Commitment | None, by: User, at: datetime | None = None
) -> None:
    """Link the case to the promise in a service declaration it concerns, or with None
    unlink it. The link counts on the declaration's public page (complaints and praise per
    promise), so it is recorded like every other change."""
    if (commitment.pk if commitment else None) == case.commitment_id:
        return
    if commitment is not None:
        _check_commitment(commitment, case.unit)
    previous = _promise_label(case.commitment)
    case.commitment = commitment
    _save(case, "commitment")
    _record(
        case,
        CaseEvent.Type.COMMITMENT,
        by=by,
        at=at,
        commitment={"from": previous, "to": _promise_label(commitment)},
    )


@transaction.atomic
def case_tag_values(
    *, case: Case, values: Iterable[ServiceValue], by: User, at: datetime | None = None
) -> None:
    chosen = list(values)
    before = sorted(value.code for value in case.values.all())
    case.values.set(chosen)
    after = sorted(value.code for value in chosen)
    if before != after:
        _record(case, CaseEvent.Type.TAGGED, by=by, at=at, values={"from": before, "to": after})


@transaction.atomic
def case_mark_good_example(
    *, case: Case, summary: str, by: User, forward: bool = False, at: datetime | None = None
) -> None:
    """Praise becomes a good example, told in staff's own anonymised words; it can be
    forwarded to the praised unit's public contact address."""
    if case.kind != Kind.PRAISE or not case.is_closed:
        raise ValidationError(_("Only closed praise can become a good example."))
    if not summary.strip():
        raise ValidationError(_("Write an anonymised summary."))
    case.is_good_example, case.good_example_summary = True, summary
    _save(case, "is_good_example", "good_example_summary")
    _record(case, CaseEvent.Type.GOOD_EXAMPLE, by=by, at=at, text=summary)
    if forward and case.unit and case.unit.contact_email:
        email_send(
            to=case.unit.contact_email,
            template="good_example",
            context={"case": case, "summary": summary},
        )


@transaction.atomic
def case_publish(
    *, case: Case, summary: str, answer: str, by: User, at: datetime | None = None
) -> None:
    """Publish a staff-written, anonymised summary and answer; never the citizen's text."""
    if not summary.strip() or not answer.strip():
        raise ValidationError(_("Write both a public summary and a public answer."))
    case.is_published, case.public_summary, case.public_answer = True, summary, answer
    _save(case, "is_published", "public_summary", "public_answer")
    _record(case, CaseEvent.Type.PUBLISHED, by=by, at=at, text=summary)


@transaction.atomic
def case_unpublish(*, case: Case, by: User, at: datetime | None = None) -> None:
    case.is_published = False
    _save(case, "is_published")
    _record(case, CaseEvent.Type.PUBLISHED, by=by, at=at, published={"from": True, "to": False})
