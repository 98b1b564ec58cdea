"""The service report's pages: start one for an ended period, write its summary and
conclusions, mark it final (done in the background: the page says how far it has got),
read it as a page or a PDF in Swedish or English."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from servicenav.network import forms as f
from servicenav.network import services
from servicenav.network.access import get_report_for_user, require_network
from servicenav.network.report import report_context, report_pdf
from servicenav.network.views.staff import staff_user

PDF_LANGUAGES = ("sv", "en")


@login_required
@require_POST
def report_create(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    require_network(user)
    form = f.ReportCreateForm(request.POST)
    if form.is_valid():
        try:
            report = services.report_create(period=form.cleaned_data["period"], by=user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("network:report", pk=report.pk)
    return render(request, "network/report_create.html", {"form": form}, status=400)


@login_required
@never_cache
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    report = get_report_for_user(user, pk)
    form = f.ReportTextForm(
        request.POST or None,
        initial={"summary": report.summary, "conclusions": report.conclusions},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.report_write(report=report, by=user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The summary and conclusions are saved."))
                return redirect("network:report", pk=report.pk)
        status = 400
    context = {**report_context(report), "form": form}
    return render(request, "network/report.html", context, status=status)


@login_required
@require_POST
def report_finalise(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    report = get_report_for_user(user, pk)
    try:
        services.report_request_final(report=report, by=user)
    except ValidationError as error:
        messages.error(request, f.first_error(error))
        return redirect("network:report", pk=report.pk)
    messages.info(request, _("The report is being marked final."))
    return redirect("network:report", pk=report.pk)


@login_required
@never_cache
def report_pdf_view(request: HttpRequest, pk: int, language: str) -> HttpResponse:
    user = staff_user(request)
    report = get_report_for_user(user, pk)
    if language not in PDF_LANGUAGES:
        return HttpResponse(_("The report is in Swedish (sv) or English (en)."), status=404)
    response = HttpResponse(report_pdf(report, language=language), content_type="application/pdf")
    filename = f"servicerapport-{report.period}-{language}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
