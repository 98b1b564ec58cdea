"""The staff follow-up of a declaration's promises: every period's judgement, the count of
feedback linked to each promise, computing now, qualitative self-assessments and the
explanation of a promise not kept."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache

from servicenav.core.periods import Period, PeriodKind
from servicenav.declarations import forms as f
from servicenav.declarations import services
from servicenav.declarations.access import (
    can_write,
    get_declaration_for_user,
)
from servicenav.declarations.follow_up import ended_periods, follow_up_declaration
from servicenav.declarations.models import (
    Commitment,
    Declaration,
    FollowUp,
    Version,
)
from servicenav.declarations.selectors import FeedbackCounts, feedback_counts
from servicenav.declarations.views.staff import describe, staff_user
from servicenav.organisation.models import User

if TYPE_CHECKING:
    from collections.abc import Callable

    from django.forms import Form

# How many of the latest ended periods a qualitative promise can be assessed for.
ASSESSABLE_PERIODS = 6


@dataclass
class PeriodRow:
    """One period's judgement of a promise, with the writers' explanation form when it was
    not kept."""

    follow_up: FollowUp
    label: str
    explain_form: f.ExplainForm | None = None

    @property
    def anchor(self) -> str:
        return f"explain-{self.follow_up.pk}"


@dataclass
class PromiseFollowUp:
    commitment: Commitment
    description: str
    periods: list[PeriodRow]
    complaints: int
    praise: int
    assess_form: f.AssessForm | None = None

    @property
    def anchor(self) -> str:
        return f"assess-{self.commitment.pk}"


# The form that failed on a POST, to show again with its errors: (kind, target id, form).
Failed = tuple[str, int, "Form"]


def _followed_version(declaration: Declaration) -> Version:
    version = declaration.current or declaration.latest
    if version is None:
        raise Http404
    return version


def _assessable_periods(declaration: Declaration, version: Version) -> list[Period]:
    """The latest ended periods, newest first, a qualitative promise can be assessed for."""
    periods = ended_periods(declaration, PeriodKind(version.period_kind), timezone.localdate())
    return periods[-ASSESSABLE_PERIODS:][::-1]


def _history(commitments: list[Commitment]) -> dict[str, list[FollowUp]]:
    """Every period's follow-up of each promise (by key, across versions), newest first."""
    history: dict[str, list[FollowUp]] = {}
    follow_ups = FollowUp.objects.filter(commitment_key__in=[c.key for c in commitments])
    for follow_up in follow_ups.order_by("-period_start"):
        history.setdefault(str(follow_up.commitment_key), []).append(follow_up)
    return history


def _form(failed: Failed | None, kind: str, pk: int, build: Callable[[], Form]) -> Any:
    """The form that just failed, if it is this one; otherwise a fresh one."""
    if failed is not None and failed[:2] == (kind, pk):
        return failed[2]
    return build()


def _explain_form(follow_up: FollowUp, failed: Failed | None) -> f.ExplainForm:
    initial = {"explanation": follow_up.explanation, "planned_action": follow_up.planned_action}
    return _form(
        failed,
        "explain",
        follow_up.pk,
        lambda: f.ExplainForm(prefix=f"explain-{follow_up.pk}", initial=initial),
    )


def _assess_form(
    commitment: Commitment, periods: list[Period], failed: Failed | None
) -> f.AssessForm:
    return _form(
        failed,
        "assess",
        commitment.pk,
        lambda: f.AssessForm(prefix=f"assess-{commitment.pk}", periods=periods),
    )


def _period_row(follow_up: FollowUp, writer: bool, failed: Failed | None) -> PeriodRow:
    row = PeriodRow(follow_up, str(Period.parse(follow_up.period).label))
    just_failed = failed is not None and failed[:2] == ("explain", follow_up.pk)
    if writer and (follow_up.result == FollowUp.Result.NOT_KEPT or just_failed):
        row.explain_form = _explain_form(follow_up, failed)
    return row


def _promises(
    declaration: Declaration, version: Version, writer: bool, failed: Failed | None
) -> list[PromiseFollowUp]:
    commitments = list(version.commitments.all())
    counts, history = feedback_counts(c.key for c in commitments), _history(commitments)
    periods = _assessable_periods(declaration, version) if writer else []
    promises = []
    for commitment in commitments:
        linked = counts.get(commitment.key, FeedbackCounts())
        promise = PromiseFollowUp(
            commitment,
            describe(commitment),
            [_period_row(item, writer, failed) for item in history.get(str(commitment.key), [])],
            complaints=linked.complaints,
            praise=linked.praise,
        )
        if periods and not commitment.is_measurable:
            promise.assess_form = _assess_form(commitment, periods, failed)
        promises.append(promise)
    return promises


def _render_follow_up(
    request: HttpRequest,
    declaration: Declaration,
    *,
    failed: Failed | None = None,
    status: int = 200,
) -> HttpResponse:
    version = _followed_version(declaration)
    writer = can_write(staff_user(request), declaration.unit)
    context = {
        "declaration": declaration,
        "version": version,
        "promises": _promises(declaration, version, writer, failed),
        "can_write": writer,
        "failed": f"{failed[0]}-{failed[1]}" if failed else "",
    }
    return render(request, "declarations/staff/follow_up.html", context, status=status)


def _target(request: HttpRequest) -> int:
    """The id of the promise or follow-up a follow-up form is about."""
    target = request.POST.get("target", "")
    if not target.isdigit():
        raise Http404
    return int(target)


def _compute(request: HttpRequest, declaration: Declaration, user: User) -> HttpResponse:
    written = follow_up_declaration(declaration)
    text = ngettext(
        "The follow-up is computed: %(count)s judgement written.",
        "The follow-up is computed: %(count)s judgements written.",
        written,
    )
    messages.success(request, text % {"count": written})
    return redirect("declarations:staff-follow-up", pk=declaration.pk)


def _assess(request: HttpRequest, declaration: Declaration, user: User) -> HttpResponse:
    version = _followed_version(declaration)
    commitment = version.commitments.filter(
        pk=_target(request), kind=Commitment.Kind.QUALITATIVE
    ).first()
    if commitment is None:
        raise Http404
    periods = _assessable_periods(declaration, version)
    form = f.AssessForm(request.POST, prefix=f"assess-{commitment.pk}", periods=periods)
    if form.is_valid():
        try:
            services.follow_up_assess(commitment=commitment, by=user, **form.assessment())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, str(_("The assessment is saved.")))
            return redirect("declarations:staff-follow-up", pk=declaration.pk)
    failed = ("assess", commitment.pk, form)
    return _render_follow_up(request, declaration, failed=failed, status=400)


def _explain(request: HttpRequest, declaration: Declaration, user: User) -> HttpResponse:
    keys = _followed_version(declaration).commitments.values("key")
    follow_up = FollowUp.objects.filter(pk=_target(request), commitment_key__in=keys).first()
    if follow_up is None:
        raise Http404
    form = f.ExplainForm(request.POST, prefix=f"explain-{follow_up.pk}")
    if form.is_valid():
        try:
            services.follow_up_explain(follow_up=follow_up, by=user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, str(_("The explanation is saved.")))
            return redirect("declarations:staff-follow-up", pk=declaration.pk)
    failed = ("explain", follow_up.pk, form)
    return _render_follow_up(request, declaration, failed=failed, status=400)


# The forms of the follow-up page, by the value of their hidden `form` field.
FOLLOW_UP_FORMS: dict[str, Callable[[HttpRequest, Declaration, User], HttpResponse]] = {
    "compute": _compute,
    "assess": _assess,
    "explain": _explain,
}


@login_required
@never_cache
def follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    if request.method != "POST":
        return _render_follow_up(request, get_declaration_for_user(user, pk))
    declaration = get_declaration_for_user(user, pk, write=True)
    handle = FOLLOW_UP_FORMS.get(request.POST.get("form", ""))
    if handle is None:
        raise Http404
    return handle(request, declaration, user)
