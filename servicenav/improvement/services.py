"""Writes to improvement actions, themes and good examples.

proposed → decided → in progress → done, and any state but done → dropped (with a reason);
a done action can be reopened (back to in progress) and a dropped one proposed again.
Completing tells everyone who gave linked feedback and left an e-mail address what was
changed, once per address and action however often the action is completed. Every write
is audited against the action's unit."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicenav.cases.models import Case
from servicenav.core.audit import audit_record, field_changes, snapshot
from servicenav.core.emails import email_send
from servicenav.core.models import AuditEntry
from servicenav.declarations.models import FollowUp
from servicenav.improvement.access import can_decide, can_propose
from servicenav.improvement.models import (
    Action,
    ActionNotification,
    ActionUpdate,
    CaseTheme,
    GoodExample,
    TextAnswerTheme,
    Theme,
)
from servicenav.organisation.models import Unit
from servicenav.surveys.models import Conclusion, FocusGroup, Round

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.db.models import QuerySet

    from servicenav.organisation.models import ServiceValue, User
    from servicenav.surveys.models import TextAnswer

S = Action.Status
# status → the statuses it may move to, and whether that step needs a decider.
TRANSITIONS: dict[str, dict[str, bool]] = {
    S.PROPOSED: {S.DECIDED: True, S.DROPPED: True},
    S.DECIDED: {S.IN_PROGRESS: False, S.DROPPED: True},
    S.IN_PROGRESS: {S.DONE: True, S.DROPPED: True},
    S.DONE: {S.IN_PROGRESS: True},
    S.DROPPED: {S.PROPOSED: True},
}
ACTION_FIELDS = ("title", "description", "responsible", "planned_start", "planned_end")


def _audit(
    action: Action, *, by: User | None, changes: dict[str, dict[str, Any]], verb: str = ""
) -> None:
    audit_record(
        actor=by,
        action=verb or AuditEntry.Action.UPDATE,
        obj=action,
        unit=action.unit,
        changes=changes,
    )


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _check_content(*, title: str, description: str, progress: int) -> None:
    if not title.strip() or not description.strip():
        raise ValidationError(_("Give the action a title and a description."))
    if not 0 <= progress <= 100:
        raise ValidationError(_("Progress is a share between 0 and 100 %."))


def _check_dates(start: date | None, end: date | None) -> None:
    if start and end and end < start:
        raise ValidationError(_("The planned end comes before the planned start."))


@transaction.atomic
def action_create(
    *,
    unit: Unit,
    title: str,
    description: str,
    by: User | None,
    responsible: User | None = None,
    planned_start: date | None = None,
    planned_end: date | None = None,
    values: Iterable[ServiceValue] = (),
) -> Action:
    """A proposed action of `unit`."""
    if by is not None:
        _require(can_propose(by, unit))
    _check_content(title=title, description=description, progress=0)
    _check_dates(planned_start, planned_end)
    action = Action.objects.create(
        unit=unit,
        title=title.strip(),
        description=description.strip(),
        responsible=responsible,
        planned_start=planned_start,
        planned_end=planned_end,
        created_by=by,
    )
    action.values.set(values)
    _audit(action, by=by, changes={"title": {"to": action.title}}, verb=AuditEntry.Action.CREATE)
    return action


@transaction.atomic
def action_edit(
    *,
    action: Action,
    by: User,
    progress: int,
    values: Iterable[ServiceValue] = (),
    **fields: Any,
) -> None:
    """Change the action's texts, responsible person, plans, progress and values."""
    _require(can_propose(by, action.unit))
    unknown = set(fields) - set(ACTION_FIELDS)
    if unknown:
        raise ValueError(f"not an action field: {sorted(unknown)}")
    _check_content(
        title=fields.get("title", action.title),
        description=fields.get("description", action.description),
        progress=progress,
    )
    _check_dates(
        fields.get("planned_start", action.planned_start),
        fields.get("planned_end", action.planned_end),
    )
    changes = {
        name: {"from": str(getattr(action, name) or ""), "to": str(value or "")}
        for name, value in [*fields.items(), ("progress", progress)]
        if getattr(action, name) != value
    }
    for name, value in fields.items():
        setattr(action, name, value)
    action.progress = progress
    action.save(update_fields=[*fields, "progress"])
    action.values.set(values)
    _audit(action, by=by, changes=changes)


@transaction.atomic
def action_set_status(
    *,
    action: Action,
    status: str,
    by: User,
    reason: str = "",
    outcome: str = "",
    on: date | None = None,
) -> None:
    """Move the action to `status`. Dropping needs a reason; completing needs what was
    changed, which is what the people behind the linked feedback are told."""
    allowed = TRANSITIONS.get(action.status, {})
    if status not in allowed:
        raise ValidationError(
            _("A %(status)s action cannot be moved that way.")
            % {"status": action.get_status_display()}
        )
    _require(can_decide(by, action.unit) if allowed[status] else can_propose(by, action.unit))
    if status == S.DROPPED and not reason.strip():
        raise ValidationError(_("Say why the action is dropped."))
    if status == S.DONE and not (outcome.strip() or action.outcome):
        raise ValidationError(_("Say what was changed."))
    on = on or timezone.localdate()
    previous = action.status
    action.status = status
    fields = ["status"]
    if status == S.DROPPED:
        action.drop_reason = reason.strip()
        fields.append("drop_reason")
    if status == S.IN_PROGRESS and action.actual_start is None:
        action.actual_start = on
        fields.append("actual_start")
    if status == S.DONE:
        action.outcome = outcome.strip() or action.outcome
        action.actual_end, action.progress = on, 100
        fields += ["outcome", "actual_end", "progress"]
    if previous == S.DONE:
        action.published_at = None  # a reopened action is no longer "done" in public
        fields.append("published_at")
    action.save(update_fields=fields)
    _audit(action, by=by, changes={"status": {"from": previous, "to": status}})
    if status == S.DONE:
        action_notify_feedback_givers(action=action)


def _address_hash(address: str) -> str:
    return hashlib.sha256(address.strip().lower().encode()).hexdigest()


def action_notify_feedback_givers(*, action: Action) -> int:
    """Tell each person behind the action's feedback who left an e-mail address what was
    changed: once per address and action. Returns how many were told now."""
    told = 0
    seen: set[str] = set()
    for case in action.cases.exclude(reporter_email="").order_by("received_at", "id"):
        if not case.can_be_emailed:
            continue
        address_hash = _address_hash(case.reporter_email)
        if address_hash in seen:
            continue
        seen.add(address_hash)
        _record, created = ActionNotification.objects.get_or_create(
            action=action, address_hash=address_hash
        )
        if created:
            email_send(
                to=case.reporter_email,
                template="improvement/action_done",
                context={"action": action, "unit": action.unit},
                language=case.language,
            )
            told += 1
    return told


@transaction.atomic
def action_add_update(
    *, action: Action, text: str, by: User, on: date | None = None
) -> ActionUpdate:
    _require(can_propose(by, action.unit))
    if not text.strip():
        raise ValidationError(_("Write what has happened."))
    update = ActionUpdate.objects.create(
        action=action, text=text.strip(), by=by, date=on or timezone.localdate()
    )
    _audit(action, by=by, changes={"update": {"to": update.text[:200]}})
    return update


@transaction.atomic
def action_link_case(*, action: Action, reference: str, by: User) -> Case:
    """Link the feedback with `reference`, which `by` must be able to see."""
    _require(can_propose(by, action.unit))
    case = Case.objects.visible_to(by).filter(reference=reference.strip().upper()).first()
    if case is None:
        raise ValidationError(_("There is no feedback with that reference that you can see."))
    action.cases.add(case)
    _audit(action, by=by, changes={"cases": {"added": case.reference}})
    return case


@transaction.atomic
def action_unlink_case(*, action: Action, case: Case, by: User) -> None:
    _require(can_propose(by, action.unit))
    action.cases.remove(case)
    _audit(action, by=by, changes={"cases": {"removed": case.reference}})


def link_candidates(user: User, kind: str) -> QuerySet[Any]:
    """What `user` may link as a cause of kind `kind`: things of the units they see."""
    units = Unit.objects.visible_to(user)
    if kind == "round":
        return Round.objects.filter(survey__unit__in=units).select_related("survey")
    if kind == "conclusion":
        return Conclusion.objects.filter(round__survey__unit__in=units)
    if kind == "focus_group":
        return FocusGroup.objects.filter(unit__in=units)
    if kind == "follow_up":
        return FollowUp.objects.filter(
            result=FollowUp.Result.NOT_KEPT, commitment__version__declaration__unit__in=units
        ).select_related("commitment")
    raise ValidationError(_("Choose what caused the action."))


LINK_FIELDS = {
    "round": "rounds",
    "conclusion": "conclusions",
    "focus_group": "focus_groups",
    "follow_up": "follow_ups",
}


@transaction.atomic
def action_link_source(
    *, action: Action, kind: str, pk: int, by: User, remove: bool = False
) -> None:
    """Link (or unlink) a survey round, conclusion, focus group or promise not kept."""
    _require(can_propose(by, action.unit))
    source = link_candidates(by, kind).filter(pk=pk).first()
    if source is None:
        raise ValidationError(_("There is nothing like that you can link."))
    related = getattr(action, LINK_FIELDS[kind])
    (related.remove if remove else related.add)(source)
    change = "removed" if remove else "added"
    _audit(action, by=by, changes={LINK_FIELDS[kind]: {change: str(source)[:200]}})


@transaction.atomic
def action_link_follow_up(*, action: Action, follow_up: FollowUp, by: User) -> None:
    """Link a promise that was not kept; kept promises caused nothing to improve."""
    _require(can_propose(by, action.unit))
    if follow_up.result != FollowUp.Result.NOT_KEPT:
        raise ValidationError(_("Only a promise that was not kept can cause an action."))
    action.follow_ups.add(follow_up)
    _audit(action, by=by, changes={"follow_ups": {"added": str(follow_up)[:200]}})


@transaction.atomic
def action_publish(*, action: Action, text_sv: str, text_en: str = "", by: User) -> None:
    """Publish a done action as "du sa – vi gjorde", in staff's own words."""
    _require(can_decide(by, action.unit))
    if action.status != S.DONE:
        raise ValidationError(_("Only a done action can be published."))
    if not text_sv.strip():
        raise ValidationError(_("Write the public text in Swedish."))
    action.public_text_sv, action.public_text_en = text_sv.strip(), text_en.strip()
    action.published_at = timezone.now()
    action.save(update_fields=["public_text_sv", "public_text_en", "published_at"])
    _audit(action, by=by, changes={"public_text_sv": {"to": action.public_text_sv[:200]}})


@transaction.atomic
def action_unpublish(*, action: Action, by: User) -> None:
    _require(can_decide(by, action.unit))
    action.published_at = None
    action.save(update_fields=["published_at"])
    _audit(action, by=by, changes={"published_at": {"to": None}})


@transaction.atomic
def theme_create(*, name_sv: str, name_en: str = "", by: User | None) -> Theme:
    if not name_sv.strip():
        raise ValidationError(_("Name the theme."))
    if Theme.objects.filter(name_sv__iexact=name_sv.strip()).exists():
        raise ValidationError(_("That theme is already on the list."))
    theme = Theme.objects.create(name_sv=name_sv.strip(), name_en=name_en.strip())
    audit_record(
        actor=by,
        action=AuditEntry.Action.CREATE,
        obj=theme,
        changes={"name_sv": {"to": theme.name_sv}},
    )
    return theme


@transaction.atomic
def case_set_themes(*, case: Case, themes: Iterable[Theme], by: User) -> None:
    """Tag a case with exactly `themes` (the gate for the case is the caller's)."""
    wanted = {theme.pk for theme in themes}
    CaseTheme.objects.filter(case=case).exclude(theme_id__in=wanted).delete()
    have = set(CaseTheme.objects.filter(case=case).values_list("theme_id", flat=True))
    CaseTheme.objects.bulk_create(
        CaseTheme(case=case, theme_id=pk, tagged_by=by) for pk in wanted - have
    )
    audit_record(
        actor=by,
        action=AuditEntry.Action.UPDATE,
        obj=case,
        unit=case.unit,
        changes={"themes": {"to": sorted(wanted)}},
    )


@transaction.atomic
def answer_set_themes(*, answer: TextAnswer, themes: Iterable[Theme], by: User) -> None:
    """Tag a free-text survey answer with exactly `themes`."""
    wanted = {theme.pk for theme in themes}
    TextAnswerTheme.objects.filter(answer=answer).exclude(theme_id__in=wanted).delete()
    have = set(TextAnswerTheme.objects.filter(answer=answer).values_list("theme_id", flat=True))
    TextAnswerTheme.objects.bulk_create(
        TextAnswerTheme(answer=answer, theme_id=pk, tagged_by=by) for pk in wanted - have
    )


@transaction.atomic
def good_example_create(
    *,
    title: str,
    text: str,
    unit: Unit,
    by: User | None,
    result: str = "",
    source: str = GoodExample.Source.EXTERNAL,
    source_name: str = "",
    source_url: str = "",
    case: Case | None = None,
    action: Action | None = None,
    values: Iterable[ServiceValue] = (),
    themes: Iterable[Theme] = (),
) -> GoodExample:
    if by is not None:
        _require(can_decide(by, unit))
    _check_example(
        title=title, text=text, source=source, source_name=source_name, source_url=source_url
    )
    if source == GoodExample.Source.PRAISE and (case is None or not case.is_good_example):
        raise ValidationError(_("Only praise marked as a good example can be used."))
    if source == GoodExample.Source.ACTION and (action is None or action.status != S.DONE):
        raise ValidationError(_("Only a done action can become a good example."))
    if (case and GoodExample.objects.filter(case=case).exists()) or (
        action and GoodExample.objects.filter(action=action).exists()
    ):
        raise ValidationError(_("It is already in the library."))
    example = GoodExample.objects.create(
        title=title.strip(),
        text=text.strip(),
        result=result.strip(),
        unit=unit,
        source=source,
        source_name=source_name.strip(),
        source_url=source_url.strip(),
        case=case,
        action=action,
        created_by=by,
    )
    example.values.set(values)
    example.themes.set(themes)
    audit_record(
        actor=by,
        action=AuditEntry.Action.CREATE,
        obj=example,
        unit=unit,
        changes={"title": {"to": example.title}},
    )
    return example


def _check_example(
    *, title: str, text: str, source: str, source_name: str, source_url: str
) -> None:
    if not title.strip() or not text.strip():
        raise ValidationError(_("Give the example a title and say what was done."))
    if source == GoodExample.Source.EXTERNAL and source_url and not source_name.strip():
        raise ValidationError(_("Say where the example was learnt."))


EXAMPLE_FIELDS = ("title", "text", "result", "unit", "source_name", "source_url")


@transaction.atomic
def good_example_edit(
    *,
    example: GoodExample,
    by: User,
    values: Iterable[ServiceValue] | None = None,
    themes: Iterable[Theme] | None = None,
    **fields: Any,
) -> None:
    """Change the example's texts, unit, source and tags (those given; tags given replace
    the old ones). Whoever may create an example for its unit may edit it, and may move it
    only to a unit they could create it for; where it came from (praise, an action,
    written directly) stays."""
    unknown = set(fields) - set(EXAMPLE_FIELDS)
    if unknown:
        raise ValueError(f"not a good example field: {sorted(unknown)}")
    _require(can_decide(by, example.unit) and can_decide(by, fields.get("unit", example.unit)))
    fields = {
        name: value.strip() if isinstance(value, str) else value for name, value in fields.items()
    }
    after = {name: fields.get(name, getattr(example, name)) for name in EXAMPLE_FIELDS}
    _check_example(
        title=after["title"],
        text=after["text"],
        source=example.source,
        source_name=after["source_name"],
        source_url=after["source_url"],
    )
    before = snapshot(example, EXAMPLE_FIELDS) | _example_tags(example)
    for name, value in fields.items():
        setattr(example, name, value)
    example.save(update_fields=list(fields))
    if values is not None:
        example.values.set(values)
    if themes is not None:
        example.themes.set(themes)
    changes = field_changes(before, snapshot(example, EXAMPLE_FIELDS) | _example_tags(example))
    if changes:
        audit_record(
            actor=by,
            action=AuditEntry.Action.UPDATE,
            obj=example,
            unit=example.unit,
            changes=changes,
        )


def _example_tags(example: GoodExample) -> dict[str, list[str]]:
    # Names that do not depend on the language the editor happens to use.
    return {
        "values": sorted(value.code for value in example.values.all()),
        "themes": sorted(theme.name_sv for theme in example.themes.all()),
    }


def good_example_from_action(*, action: Action, by: User | None) -> GoodExample:
    return good_example_create(
        title=action.title,
        text=action.description,
        result=action.outcome,
        unit=action.unit,
        source=GoodExample.Source.ACTION,
        action=action,
        values=action.values.all(),
        by=by,
    )


def good_example_from_case(*, case: Case, title: str, by: User | None) -> GoodExample:
    """From praise marked as a good example, in staff's anonymised summary."""
    if case.unit is None:
        raise ValidationError(_("Only praise of a unit can be used."))
    themes = Theme.objects.filter(case_tags__case=case)
    return good_example_create(
        title=title,
        text=case.good_example_summary,
        unit=case.unit,
        source=GoodExample.Source.PRAISE,
        case=case,
        values=case.values.all(),
        themes=themes,
        by=by,
    )
