"""Staff pages for figures measured elsewhere (telephony, e-mail tests): typing one in, and
importing a CSV or Excel file through a preview.

An import is two requests. The upload is read and checked row by row (`kpis.imports`)
and shown as a preview; nothing is saved. Only a preview without errors is kept, in the
person's session under a random token, and "Save" posts that token back: the figures
saved are the ones the server checked and showed, never anything the browser sends."""

from __future__ import annotations

import secrets
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache

from servicenav.core.periods import Period, PeriodKind
from servicenav.kpis import imports, services
from servicenav.kpis.access import get_indicator_for_user
from servicenav.kpis.models import Indicator, Measurement, Source
from servicenav.organisation.models import Unit, User

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

RECENT_VALUES = 12
# Errors listed at the top of a preview; every row with errors is marked in the table.
SUMMARY_ERRORS = 20


def staff_user(request: HttpRequest) -> User:
    # Every view here is behind login_required, so the user is a staff account.
    return cast("User", request.user)


# Typing one figure in


class MeasurementForm(forms.Form):
    """One figure for one unit and period; numbers accept a decimal comma."""

    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), label=_("Unit"), empty_label=None)
    period = forms.CharField(label=_("Period"), max_length=20)
    value = forms.CharField(label=_("Value"), max_length=30)
    n = forms.CharField(
        label=_("Number measured"),
        max_length=20,
        required=False,
        help_text=_("How many calls, e-mails or tests the value is based on."),
    )
    comment = forms.CharField(
        label=_("Comment"),
        max_length=300,
        required=False,
        help_text=_("Where the figure comes from, e.g. the telephony system's monthly report."),
    )
    replace = forms.BooleanField(
        label=_("Replace the value already saved for this unit and period"), required=False
    )

    def __init__(self, data: Any, *, indicator: Indicator) -> None:
        super().__init__(data)
        self.indicator = indicator
        self.existing: Measurement | None = None
        today = timezone.localdate()
        previous = Period.containing(today, PeriodKind(indicator.period_kind)).previous()
        unit_field = cast("forms.ModelChoiceField[Unit]", self.fields["unit"])
        unit_field.queryset = Unit.objects.within([indicator.unit]).active()
        unit_field.initial = indicator.unit
        self.fields["period"].initial = previous.code
        self.fields["period"].help_text = _("For example %(example)s.") % {"example": previous.code}
        self.fields["value"].help_text = _(
            "In %(measure)s, with a decimal comma or point: 93,5 or 93.5."
        ) % {"measure": indicator.get_unit_of_measure_display()}

    def clean_period(self) -> Period:
        period = imports.parse_period(self.cleaned_data["period"], self.indicator)
        if problem := services.manual_period_problem(self.indicator, period):
            raise ValidationError(problem)
        return period

    def clean_value(self) -> Decimal:
        return imports.parse_value(self.cleaned_data["value"])

    def clean_n(self) -> int | None:
        return imports.parse_count(self.cleaned_data["n"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "value" in data and "n" in data:
            self._check_value(data["value"], data["n"])
        if "unit" in data and "period" in data:
            self._check_existing(data["unit"], data["period"], replace=data.get("replace", False))
        return data

    def _check_value(self, value: Decimal, n: int | None) -> None:
        if problem := services.manual_value_problem(self.indicator, value, n):
            self.add_error("value", problem)

    def _check_existing(self, unit: Unit, period: Period, *, replace: bool) -> None:
        """A value already saved is shown, and replaced only when staff tick the box."""
        found = self.indicator.measurements.filter(unit=unit, period=period.code)
        self.existing = found.select_related("unit").first()
        if self.existing is not None and not replace:
            self.add_error("replace", _replace_message(self.existing, period))

    def figure(self) -> dict[str, Any]:
        names = ("unit", "period", "value", "n", "comment")
        return {name: self.cleaned_data[name] for name in names}


def _replace_message(existing: Measurement, period: Period) -> str:
    value = floatformat(existing.value, -2) if existing.value is not None else "–"
    return str(
        _("%(unit)s already has the value %(value)s for %(period)s. Tick the box to replace it.")
        % {"unit": existing.unit.name, "value": value, "period": period.label}
    )


def _recent(indicator: Indicator) -> list[Measurement]:
    """The latest values, so staff see what is there before they add or replace one."""
    found = indicator.measurements.select_related("unit", "entered_by")
    return list(found.order_by("-period_start", "unit__path")[:RECENT_VALUES])


def _not_manual(request: HttpRequest, indicator: Indicator, template: str) -> HttpResponse:
    """The page of an indicator whose values are not typed in: it says why, no form."""
    context = {"indicator": indicator, "not_manual": True}
    return render(request, template, context, status=400 if request.method == "POST" else 200)


@login_required
@never_cache
def measurement_enter(request: HttpRequest, pk: int) -> HttpResponse:
    """Type in one figure; then the empty form again for the next."""
    user = staff_user(request)
    indicator = get_indicator_for_user(user, pk, write=True)
    template = "kpis/staff/manual_form.html"
    if indicator.source != Source.MANUAL:
        return _not_manual(request, indicator, template)
    form = MeasurementForm(request.POST if request.method == "POST" else None, indicator=indicator)
    if form.is_bound and form.is_valid():
        try:
            saved = services.measurement_enter(indicator=indicator, by=user, **form.figure())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            message = _("The value for %(unit)s, %(period)s is saved.")
            messages.success(request, message % {"unit": saved.unit.name, "period": saved.period})
            return redirect("kpis:measurement-enter", pk=indicator.pk)
    context = {"indicator": indicator, "form": form, "recent": _recent(indicator)}
    return render(request, template, context, status=400 if form.errors else 200)


# Importing a file


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("A CSV file or an Excel workbook (.xlsx), at most 1 MB and 5,000 rows."),
    )
    comment = forms.CharField(
        label=_("Comment"),
        max_length=300,
        required=False,
        help_text=_("Where the figures come from; saved with every row."),
    )

    def __init__(self, *args: Any, indicator: Indicator, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.parsed: imports.ParsedFile | None = None

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        self.parsed = imports.parse_file(imports.read_upload(upload), self.indicator)
        return upload


def _format_context(indicator: Indicator) -> dict[str, Any]:
    """What the page needs to show how the file should look, with this indicator's
    periods and units in the example."""
    units = list(Unit.objects.within([indicator.unit]).active())
    last = Period.containing(timezone.localdate(), PeriodKind(indicator.period_kind)).previous()
    below = units[1].name if len(units) > 1 else ""
    example = [
        (last.previous().code, "93,5", "1204", ""),
        (last.code, "91,0", "1187", ""),
        (last.code, "88,25", "310", below),
    ]
    return {"indicator": indicator, "units": units, "period_example": last.code, "example": example}


def _session_key(indicator: Indicator) -> str:
    return f"kpis-import-{indicator.pk}"


def _import_page(
    request: HttpRequest,
    indicator: Indicator,
    form: ImportForm,
    *,
    status: int = 200,
    refused: list[str] | None = None,
) -> HttpResponse:
    context = {"form": form, "refused": refused, **_format_context(indicator)}
    return render(request, "kpis/staff/import_form.html", context, status=status)


def _import_preview(request: HttpRequest, indicator: Indicator, form: ImportForm) -> HttpResponse:
    """Show every row; keep the checked rows for "Save" only when none has an error."""
    parsed = cast("imports.ParsedFile", form.parsed)
    key = _session_key(indicator)
    request.session.pop(key, None)
    token = ""
    if parsed.ok:
        token = secrets.token_urlsafe(16)
        comment = form.cleaned_data["comment"]
        request.session[key] = {"token": token, "rows": parsed.payload(), "comment": comment}
    wrong = [row for row in parsed.rows if row.errors]
    context = {
        "indicator": indicator,
        "parsed": parsed,
        "token": token,
        "file_name": form.cleaned_data["file"].name,
        "form": ImportForm(indicator=indicator, initial={"comment": form.cleaned_data["comment"]}),
        "first_errors": wrong[:SUMMARY_ERRORS],
        "more_errors": max(len(wrong) - SUMMARY_ERRORS, 0),
    }
    return render(
        request, "kpis/staff/import_preview.html", context, status=200 if parsed.ok else 400
    )


def _import_confirm(request: HttpRequest, indicator: Indicator, user: User) -> HttpResponse:
    """Save the rows kept by the preview whose token was posted, all or none."""
    state = request.session.get(_session_key(indicator))
    token = request.POST.get("token", "")
    if not state or not secrets.compare_digest(str(state["token"]).encode(), token.encode()):
        messages.error(request, str(_("The preview has expired. Upload the file again.")))
        return redirect("kpis:measurement-import", pk=indicator.pk)
    del request.session[_session_key(indicator)]
    try:
        figures = imports.figures_from_payload(indicator, state["rows"])
        saved = services.measurements_import(
            indicator=indicator, rows=figures, by=user, comment=state["comment"]
        )
    except ValidationError as error:
        form = ImportForm(indicator=indicator)
        return _import_page(request, indicator, form, status=400, refused=error.messages)
    count = len(saved)
    done = ngettext("%(count)s value is saved.", "%(count)s values are saved.", count)
    messages.success(request, done % {"count": count})
    return redirect("kpis:staff-detail", pk=indicator.pk)


@login_required
@never_cache
def measurement_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a file, see every row checked, then save all rows or none."""
    user = staff_user(request)
    indicator = get_indicator_for_user(user, pk, write=True)
    if indicator.source != Source.MANUAL:
        return _not_manual(request, indicator, "kpis/staff/import_form.html")
    if request.method == "POST" and "token" in request.POST:
        return _import_confirm(request, indicator, user)
    posted = request.method == "POST"
    form = ImportForm(
        request.POST if posted else None, request.FILES if posted else None, indicator=indicator
    )
    if form.is_bound and form.is_valid():
        return _import_preview(request, indicator, form)
    return _import_page(request, indicator, form, status=400 if form.is_bound else 200)
