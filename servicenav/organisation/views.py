from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from servicenav.organisation.access import AUDIT_READERS, get_unit_for_user, has_role_for
from servicenav.organisation.models import Unit


@login_required
def staff_home(request: HttpRequest) -> HttpResponse:
    assignments = request.user.role_assignments.select_related("unit")  # type: ignore[union-attr]
    units = Unit.objects.visible_to(request.user)
    return render(
        request, "organisation/staff_home.html", {"assignments": assignments, "units": units}
    )


@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_unit_for_user(request.user, pk)
    context = {
        "unit": unit,
        "children": unit.children.all(),
        "assignments": unit.role_assignments.select_related("user"),
        "can_read_audit": has_role_for(request.user, unit, AUDIT_READERS),
        "unit_type": ContentType.objects.get_for_model(Unit),
    }
    return render(request, "organisation/unit_detail.html", context)
