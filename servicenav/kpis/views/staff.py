"""The staff pages of key performance indicators: the list per unit with each indicator's
latest value against its target, an indicator's page with its definition, targets, trend
and latest figures per unit, defining and changing indicators, switching them on and off
and setting targets.

Anyone with a role for the owning unit reads these pages; quality coordinators, unit
managers and administrators manage (`kpis.access`). Every page goes through
`access.get_indicator_for_user` (404 for what the person may not read, 403 for what they
may read but not manage) and every write through `kpis.services`; what a service refuses
is shown in the form that asked, and nothing is saved."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from servicenav.kpis import forms as f
from servicenav.kpis import selectors, services
from servicenav.kpis.access import (
    can_manage,
    get_indicator_for_user,
    is_quality_coordinator,
    managed_units,
)
from servicenav.kpis.comparison import indicator_comparison
from servicenav.kpis.models import Source
from servicenav.organisation.models import User

if TYPE_CHECKING:
    from django.forms import BaseForm
    from django.http import HttpRequest, HttpResponse

    from servicenav.kpis.models import Indicator


def staff_user(request: HttpRequest) -> User:
    # Every view here is behind login_required, so the user is a staff account.
    return cast("User", request.user)


def refusal(error: ValidationError | PermissionDenied) -> list[str]:
    """What a service said when it refused, as messages for the person."""
    if isinstance(error, ValidationError):
        return list(error.messages)
    return [str(error) or _("You may not do that.")]


def _add_refusal(form: BaseForm, error: ValidationError | PermissionDenied) -> None:
    for message in refusal(error):
        form.add_error(None, message)


@login_required
@never_cache
def indicator_list(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    context = {
        "groups": selectors.indicator_groups(user),
        "can_create": managed_units(user).exists(),
    }
    return render(request, "kpis/staff/list.html", context)


@login_required
@never_cache
def indicator_create(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    units = managed_units(user)
    if not units.exists():
        raise PermissionDenied
    full = selectors.full_units(units)
    with_reason = any(is_quality_coordinator(user, room.unit) for room in full)
    form = f.IndicatorCreateForm(
        request.POST or None,
        units=units,
        with_reason=with_reason,
        initial={"unit": request.GET.get("unit", "")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            indicator = services.indicator_create(
                unit=form.cleaned_data["unit"],
                by=user,
                reason=form.exception_reason(),
                **form.indicator_fields(),
            )
        except (ValidationError, PermissionDenied) as error:
            _add_refusal(form, error)
        else:
            messages.success(request, _("The indicator is created."))
            return redirect("kpis:staff-detail", pk=indicator.pk)
    context = {"form": form, "full": full, "with_reason": with_reason}
    status = 400 if form.is_bound else 200
    return render(request, "kpis/staff/create.html", context, status=status)


@login_required
@never_cache
def indicator_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    indicator = get_indicator_for_user(user, pk, write=True)
    # A copy: validating the form writes into its instance, the service compares with this.
    form = f.IndicatorForm(request.POST or None, instance=copy.copy(indicator))
    if request.method == "POST" and form.is_valid():
        fields = form.indicator_fields()
        changes = {name: v for name, v in fields.items() if getattr(indicator, name) != v}
        try:
            services.indicator_update(indicator=indicator, by=user, **changes)
        except (ValidationError, PermissionDenied) as error:
            _add_refusal(form, error)
        else:
            messages.success(
                request, _("The indicator is saved.") if changes else _("Nothing was changed.")
            )
            return redirect("kpis:staff-detail", pk=pk)
    status = 400 if form.is_bound else 200
    context = {"indicator": indicator, "form": form}
    return render(request, "kpis/staff/edit.html", context, status=status)


def _render_detail(
    request: HttpRequest,
    indicator: Indicator,
    *,
    forms: dict[str, BaseForm] | None = None,
    failed: str = "",
) -> HttpResponse:
    """The indicator's page; with `forms`, a refused form shown again with its errors."""
    user = staff_user(request)
    manage = can_manage(user, indicator.unit)
    room = selectors.unit_room(indicator.unit)
    period_label, per_unit = selectors.latest_by_unit(indicator)
    this_year = timezone.localdate().year
    shown: dict[str, Any] = {
        "target_form": f.TargetForm(prefix="target", initial={"year": this_year}),
        "active_form": f.ActiveForm(
            prefix="active", initial={"active": "0" if indicator.active else "1"}
        ),
    } | (forms or {})
    context = {
        "indicator": indicator,
        "can_manage": manage,
        "needs_reason": not indicator.active and room.full,
        "may_exceed": is_quality_coordinator(user, indicator.unit),
        "room": room,
        "targets": [
            (target.year, selectors.format_value(target.value, indicator.unit_of_measure))
            for target in indicator.targets.order_by("-year")
        ],
        "trend": selectors.indicator_trend(indicator),
        "period_label": period_label,
        "per_unit": per_unit,
        "manual": manage and indicator.source == Source.MANUAL,
        "comparison": indicator_comparison(indicator),
        "failed": failed,
        **shown,
    }
    return render(request, "kpis/staff/detail.html", context, status=400 if failed else 200)


@login_required
@never_cache
def indicator_detail(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = get_indicator_for_user(staff_user(request), pk)
    return _render_detail(request, indicator)


@require_POST
@login_required
@never_cache
def indicator_active(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    indicator = get_indicator_for_user(user, pk, write=True)
    form = f.ActiveForm(request.POST, prefix="active")
    if form.is_valid():
        active = form.cleaned_data["active"]
        try:
            services.indicator_set_active(
                indicator=indicator, active=active, by=user, reason=form.cleaned_data["reason"]
            )
        except (ValidationError, PermissionDenied) as error:
            _add_refusal(form, error)
        else:
            done = _("The indicator is active.") if active else _("The indicator is inactive.")
            messages.success(request, done)
            return redirect("kpis:staff-detail", pk=pk)
    return _render_detail(request, indicator, forms={"active_form": form}, failed="active")


@require_POST
@login_required
@never_cache
def target_set(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    indicator = get_indicator_for_user(user, pk, write=True)
    form = f.TargetForm(request.POST, prefix="target")
    if form.is_valid():
        year, value = form.cleaned_data["year"], form.cleaned_data["value"]
        try:
            services.target_set(indicator=indicator, year=year, value=value, by=user)
        except (ValidationError, PermissionDenied) as error:
            _add_refusal(form, error)
        else:
            messages.success(request, _("The target for %(year)s is set.") % {"year": year})
            return redirect("kpis:staff-detail", pk=pk)
    return _render_detail(request, indicator, forms={"target_form": form}, failed="target")
