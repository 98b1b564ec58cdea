"""The staff side of service declarations: the list, writing a draft with its promises and
the approval lifecycle (the follow-up pages are in `staff_follow_up`). Each view goes
through the gate in declarations.access and writes only through declarations.services."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from servicenav.declarations import forms as f
from servicenav.declarations import services
from servicenav.declarations.access import (
    can_approve,
    can_write,
    declarations_visible_to,
    get_declaration_for_user,
)
from servicenav.declarations.models import (
    Commitment,
    Declaration,
    Measure,
    Version,
)
from servicenav.organisation.models import User

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from django.forms import BaseFormSet, Form
    from django.utils.functional import Promise


def staff_user(request: HttpRequest) -> User:
    # Every view here is behind login_required, so the user is a staff account.
    return cast("User", request.user)


def describe(commitment: Commitment) -> str:
    """How a promise is followed up, in words: "share of feedback answered within 10
    working days, kept at ≥ 90 %, judged on at least 5 cases"."""
    if not commitment.is_measurable:
        return str(_("assessed by the unit, period by period"))
    days = commitment.limit_days or 0
    measures: dict[str, str] = {
        Measure.ACKNOWLEDGED_WITHIN: ngettext(
            "share of feedback acknowledged within %(days)s working day",
            "share of feedback acknowledged within %(days)s working days",
            days,
        ),
        Measure.ANSWERED_WITHIN: ngettext(
            "share of feedback answered within %(days)s working day",
            "share of feedback answered within %(days)s working days",
            days,
        ),
        Measure.ANSWERED_BY_DEADLINE: str(_("share of feedback answered by its answer deadline")),
    }
    measure = measures.get(commitment.measure, commitment.measure) % {"days": days}
    judged = ngettext(
        "%(measure)s, kept at ≥ %(threshold)s %%, judged on at least %(cases)s case",
        "%(measure)s, kept at ≥ %(threshold)s %%, judged on at least %(cases)s cases",
        commitment.min_cases,
    )
    threshold = floatformat(commitment.threshold, -1)
    return judged % {"measure": measure, "threshold": threshold, "cases": commitment.min_cases}


# The list


@dataclass
class ListRow:
    declaration: Declaration
    latest: Version
    current: Version | None
    review_overdue: bool


def _list_rows(declarations: Iterable[Declaration]) -> list[ListRow]:
    today = timezone.localdate()
    rows = []
    for declaration in declarations:
        versions = list(declaration.versions.all())  # prefetched, newest first
        if not versions:
            continue
        current = next((v for v in versions if v.status == Version.Status.PUBLISHED), None)
        overdue = bool(current and current.review_by and current.review_by < today)
        rows.append(ListRow(declaration, versions[0], current, overdue))
    return rows


@login_required
@never_cache
def declaration_list(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    declarations = (
        declarations_visible_to(user)
        .select_related("unit", "owner")
        .prefetch_related(Prefetch("versions", queryset=Version.objects.order_by("-number")))
    )
    rows = _list_rows(declarations)
    context = {
        "groups": [
            (unit, list(group)) for unit, group in groupby(rows, lambda row: row.declaration.unit)
        ],
        "count": len(rows),
        "can_create": f.writable_units(user).exists(),
    }
    return render(request, "declarations/staff/list.html", context)


# Writing


@login_required
@never_cache
def declaration_create(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    if not f.writable_units(user).exists():
        raise PermissionDenied
    form = f.DeclarationCreateForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.declaration_create(
                unit=form.cleaned_data["unit"],
                owner=form.cleaned_data["owner"],
                by=user,
                **form.content(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, str(_("The declaration is created. Now add its promises.")))
            return redirect("declarations:staff-edit", pk=version.declaration_id)
    status = 400 if form.is_bound else 200
    return render(request, "declarations/staff/create.html", {"form": form}, status=status)


class _Rollback(Exception):
    """Raised to undo a whole save after the services refused part of it."""


def _changed(obj: Version | Commitment, values: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in values.items() if getattr(obj, name) != value}


def _save_commitment(version: Version, form: f.CommitmentForm, by: User) -> None:
    pk = form.cleaned_data.get("commitment")
    deleting = form.cleaned_data.get("DELETE", False)
    if pk is None:
        if form.has_changed() and not deleting:
            services.commitment_add(version=version, by=by, **form.promise())
        return
    commitment = version.commitments.filter(pk=pk).first()
    if commitment is None:
        raise ValidationError(_("This promise is no longer in the draft. Reload the page."))
    if deleting:
        services.commitment_remove(commitment=commitment, by=by)
    elif changes := _changed(commitment, form.promise()):
        services.commitment_update(commitment=commitment, by=by, **changes)


def _save_draft(
    version: Version, form: f.VersionForm, formset: BaseFormSet[f.CommitmentForm], by: User
) -> bool:
    """Save the texts and every promise, or nothing: each refusal is shown at its form."""
    try:
        with transaction.atomic():
            failed = False
            try:
                if changes := _changed(version, form.content()):
                    services.version_update(version=version, by=by, **changes)
            except ValidationError as error:
                form.add_error(None, error)
                failed = True
            for commitment_form in formset.forms:
                try:
                    _save_commitment(version, commitment_form, by)
                except ValidationError as error:
                    commitment_form.add_error(None, error)
                    failed = True
            if failed:
                raise _Rollback
    except _Rollback:
        return False
    return True


def _edit_forms(
    request: HttpRequest, version: Version
) -> tuple[f.VersionForm, BaseFormSet[f.CommitmentForm]]:
    data = request.POST if request.method == "POST" else None
    initial = {name: getattr(version, name) for name in Version.CONTENT_FIELDS}
    form = f.VersionForm(data, initial=initial)
    promises = [f.commitment_initial(c) for c in version.commitments.all()]
    formset = f.CommitmentFormSet(data, initial=promises, prefix="promise")
    return form, formset


@login_required
@never_cache
def version_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    declaration = get_declaration_for_user(user, pk, write=True)
    version = declaration.latest
    if version is None or not version.is_editable:
        messages.info(request, str(_("Only a draft can be edited. Make a new version first.")))
        return redirect("declarations:staff-detail", pk=pk)
    form, formset = _edit_forms(request, version)
    # Validate both, so that every mistake is shown at once.
    if request.method == "POST" and all([form.is_valid(), formset.is_valid()]):
        if _save_draft(version, form, formset, user):
            messages.success(request, str(_("The draft is saved.")))
            return redirect("declarations:staff-detail", pk=pk)
        version.refresh_from_db()  # the save was undone; show the draft as it is
    context = {"declaration": declaration, "version": version, "form": form, "formset": formset}
    status = 400 if request.method == "POST" else 200
    return render(request, "declarations/staff/edit.html", context, status=status)


# The declaration page and its actions


class Action(NamedTuple):
    """One lifecycle action: its form, the service call, what to say when done, and whether
    it is the approver's (otherwise the writers')."""

    form: type[Form]
    perform: Callable[[Declaration, Version, User, dict[str, Any]], object]
    done: Promise
    approver: bool = False


# The URL slug of every action on a declaration page.
ACTIONS: dict[str, Action] = {
    "submit": Action(
        f.ConfirmForm,
        lambda declaration, version, by, data: services.version_submit(version=version, by=by),
        _("The version is sent to the unit manager for approval."),
    ),
    "approve": Action(
        f.ApproveForm,
        lambda declaration, version, by, data: services.version_approve(
            version=version, by=by, review_by=data["review_by"]
        ),
        _("The version is approved and can be published."),
        approver=True,
    ),
    "return": Action(
        f.ReturnForm,
        lambda declaration, version, by, data: services.version_return(
            version=version, by=by, comment=data["comment"]
        ),
        _("The version is sent back to draft with your comment."),
        approver=True,
    ),
    "publish": Action(
        f.PublishForm,
        lambda declaration, version, by, data: services.version_publish(
            version=version, by=by, valid_from=data["valid_from"]
        ),
        _("The version is published."),
    ),
    "new-version": Action(
        f.ConfirmForm,
        lambda declaration, version, by, data: services.version_new_draft(
            declaration=declaration, by=by
        ),
        _("A new draft is ready to edit."),
    ),
    "withdraw": Action(
        f.WithdrawForm,
        lambda declaration, version, by, data: services.declaration_withdraw(
            declaration=declaration, by=by
        ),
        _("The declaration is withdrawn. Its promises no longer apply."),
    ),
}


def _allowed_actions(user: User, declaration: Declaration, version: Version) -> set[str]:
    """The actions this person may take on the declaration in its present state."""
    status, writer = version.status, can_write(user, declaration.unit)
    allowed = set()
    if writer and status == Version.Status.DRAFT:
        allowed |= {"edit", "submit"}
    if status == Version.Status.PENDING and can_approve(user, declaration.unit):
        allowed |= {"approve", "return"}
    if writer and status == Version.Status.APPROVED:
        allowed.add("publish")
    if writer and status in {Version.Status.PUBLISHED, Version.Status.ARCHIVED}:
        allowed.add("new-version")
    if writer and declaration.current is not None:
        allowed.add("withdraw")
    return allowed


@login_required
@never_cache
def declaration_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    declaration = get_declaration_for_user(user, pk)
    version = declaration.latest
    if version is None:
        raise Http404
    commitments = [(c, describe(c)) for c in version.commitments.all()]
    context = {
        "declaration": declaration,
        "version": version,
        "commitments": commitments,
        "versions": declaration.versions.order_by("-number"),
        "allowed": _allowed_actions(user, declaration, version),
        "forms": {slug.replace("-", "_"): a.form(prefix=slug) for slug, a in ACTIONS.items()},
        "can_write": can_write(user, declaration.unit),
    }
    return render(request, "declarations/staff/detail.html", context)


def _tell(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@require_POST
@login_required
@never_cache
def declaration_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    chosen = ACTIONS.get(action)
    if chosen is None:
        raise Http404
    user = staff_user(request)
    declaration = get_declaration_for_user(user, pk, write=not chosen.approver)
    if chosen.approver and not can_approve(user, declaration.unit):
        raise PermissionDenied
    version = declaration.latest
    if version is None:
        raise Http404
    form = chosen.form(request.POST, prefix=action)
    if not form.is_valid():
        for errors in form.errors.values():
            _tell(request, ValidationError(list(errors)))
        return redirect("declarations:staff-detail", pk=pk)
    try:
        chosen.perform(declaration, version, user, form.cleaned_data)
    except ValidationError as error:
        _tell(request, error)
        return redirect("declarations:staff-detail", pk=pk)
    messages.success(request, str(chosen.done))
    if action == "new-version":
        return redirect("declarations:staff-edit", pk=pk)
    return redirect("declarations:staff-detail", pk=pk)
