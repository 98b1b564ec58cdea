"""The service report to the management group: its figures (see `figures.py`), shown as a
staff page and as a PDF from the same template, in Swedish or English.

A draft reads the data each time it is shown; a final report shows the JSON frozen when it
was marked final (`services.report_finalise`), so later changes to the data do not change
it. Charts are the inline SVG of the KPI pages (`kpis.charts`) and the public site's bar
chart, each with the same figures as a table."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext

from servicenav.cases.models import Kind
from servicenav.core.periods import Period
from servicenav.declarations.models import FollowUp
from servicenav.improvement.selectors import report_section
from servicenav.kpis.charts import ChartPoint, trend_svg
from servicenav.kpis.models import UnitOfMeasure
from servicenav.kpis.selectors import STATUS_SYMBOLS, Status, format_number, format_value
from servicenav.network.figures import report_units, unit_figures
from servicenav.public.charts import Bar, bar_chart_svg
from servicenav.public.figures import ALL, KIND_CHOICES
from servicenav.surveys.analysis import DIRECTION_LABELS, Direction

if TYPE_CHECKING:
    from servicenav.network.models import Report
    from servicenav.organisation.models import Unit

PRINT_CSS = "network/report-print.css"


def improvement_section(scope: Unit, period: Period) -> dict[str, Any]:
    """Improvement actions started and completed, and good examples, of `scope` in
    `period`: {"started": [...], "completed": [...], "good_examples": [...]}, JSON."""
    return report_section(scope, period)


def report_figures(period: Period) -> dict[str, Any]:
    """Every figure of the report for `period`, as JSON: the whole municipality first,
    then each förvaltning."""
    scopes = []
    for unit in report_units():
        scope = unit_figures(unit, period)
        scope["improvement"] = improvement_section(unit, period)
        scopes.append(scope)
    return {"period": period.code, "computed_at": timezone.now().isoformat(), "scopes": scopes}


def current_figures(report: Report) -> dict[str, Any]:
    """The frozen figures of a final report; the data as it is now for a draft."""
    if report.is_final and report.figures is not None:
        return report.figures
    return report_figures(Period.parse(report.period))


# Presenting the JSON in the current language


def _pick(row: dict[str, Any], name: str) -> str:
    swedish, english = row.get(f"{name}_sv") or "", row.get(f"{name}_en") or ""
    return english if english and translation.get_language() == "en" else swedish


def _decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _float(value: str | None) -> float | None:
    return None if value is None else float(value)


def _period_label(code: str | None) -> str:
    if not code:
        return "–"
    try:
        return str(Period.parse(code).label)
    except ValueError:
        return code


def _kpi(row: dict[str, Any], prefix: str) -> dict[str, Any]:
    uom = row["unit_of_measure"]
    value, target = _decimal(row["value"]), _decimal(row["target"])
    status = Status(row["status"])
    name = _pick(row, "name")
    unit_label = str(UnitOfMeasure(uom).label) if uom in UnitOfMeasure.values else uom
    points = [
        ChartPoint(
            label=point["period"],
            value=_float(point["value"]),
            low=None,
            high=None,
            target=_float(point["target"]),
        )
        for point in row["trend"]
    ]
    comparison = row["comparison"]
    return {
        "code": row["code"],
        "name": name,
        "unit": _pick(row, "unit_name"),
        "period": _period_label(row["period"]),
        "value": format_value(value, uom) if value is not None else gettext("no data"),
        "n": row["n"],
        "target": format_value(target, uom) if target is not None else "–",
        "status": str(status.label),
        "status_code": status.value,
        "symbol": STATUS_SYMBOLS[status],
        "svg": trend_svg(
            points,
            title=gettext("Trend: %(name)s") % {"name": name},
            unit_label=unit_label,
            percent=uom == UnitOfMeasure.PERCENT,
            id_prefix=prefix,
        )
        if points
        else "",
        "trend": [
            {
                "period": _period_label(point["period"]),
                "value": format_number(Decimal(point["value"])) if point["value"] else "–",
            }
            for point in row["trend"]
        ],
        "comparison": _comparison(comparison) if comparison else None,
    }


def _comparison(row: dict[str, Any]) -> dict[str, Any]:
    def text(value: str | None) -> str:
        return "–" if value is None else format_number(Decimal(value))

    return {
        "year": row["year"],
        "own": text(row["own"]),
        "riket": text(row["riket"]),
        "group_average": text(row["group_average"]),
        "quartile": row["quartile"],
        "source": row["source"],
        "demo": row["demo"],
    }


def _declarations(section: dict[str, Any]) -> dict[str, Any]:
    counts = section["counts"]
    return {
        "counts": [
            {"label": str(FollowUp.Result(result).label), "count": counts.get(result, 0)}
            for result in FollowUp.Result.values
        ],
        "total": sum(counts.values()),
        "not_kept": [
            {
                "unit": _pick(row, "unit"),
                "service": _pick(row, "service"),
                "promise": _pick(row, "promise"),
                "period": _period_label(row["period"]),
                "value": "–" if row["value"] is None else format_number(Decimal(row["value"])),
                "cases": row["cases"],
                "explanation": row["explanation"],
                "planned_action": row["planned_action"],
            }
            for row in section["not_kept"]
        ],
    }


def _figure_text(figure: dict[str, Any] | None, uom: str) -> str:
    if figure is None:
        return "–"
    if figure["value"] is None:
        if figure["n"]:
            return gettext("too few cases (n = %(n)s)") % {"n": figure["n"]}
        return "–"
    return format_value(Decimal(figure["value"]), uom) + f" (n = {figure['n']})"


def _feedback(rows: list[dict[str, Any]], prefix: str) -> dict[str, Any]:
    labels = dict(KIND_CHOICES)
    shown = [
        {
            "kind": str(labels.get(row["kind"], row["kind"])),
            "is_total": row["kind"] == ALL,
            "received": row["received"],
            "answered": row["answered"],
            "due": row["due"],
            "by_deadline": _figure_text(row["by_deadline"], UnitOfMeasure.PERCENT),
            "median_days": _figure_text(row["median_days"], UnitOfMeasure.WORKING_DAYS),
            "p90_days": _figure_text(row["p90_days"], UnitOfMeasure.WORKING_DAYS),
        }
        for row in rows
    ]
    bars = [
        Bar(label=str(Kind(row["kind"]).label), value=row["received"], text=str(row["received"]))
        for row in rows
        if row["kind"] != ALL
    ]
    total = next((row["received"] for row in rows if row["kind"] == ALL), 0)
    svg = bar_chart_svg(
        bars,
        title=gettext("Feedback received by kind"),
        summary=gettext("%(count)s cases of feedback received in all.") % {"count": total},
        id_prefix=prefix,
    )
    return {"rows": shown, "svg": svg if total else "", "total": total}


def _surveys(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    def number(value: float | None) -> str:
        return "–" if value is None else format_number(value)

    return [
        {
            "survey": _pick(row, "survey"),
            "round": row["round"],
            "closes_on": row["closes_on"],
            "respondents": row["respondents"],
            "response_rate": "–"
            if row["response_rate"] is None
            else format_value(Decimal(str(round(row["response_rate"], 1))), UnitOfMeasure.PERCENT),
            "index": number(row["index"]),
            "interval": "–"
            if row["index_low"] is None
            else f"{number(row['index_low'])}–{number(row['index_high'])}",
            "previous_round": row["previous_round"] or "–",
            "change": number(row["change"]),
            "direction": str(DIRECTION_LABELS[Direction(row["direction"])])
            if row["direction"]
            else "–",
        }
        for row in rows
    ]


def present(figures: dict[str, Any]) -> list[dict[str, Any]]:
    """The figures as the report's template shows them, in the current language."""
    scopes = []
    for number, scope in enumerate(figures["scopes"]):
        prefix = f"s{number}"
        scopes.append(
            {
                "anchor": f"scope-{scope['unit_id']}",
                "name": _pick(scope, "name"),
                "is_top": number == 0,
                "kpis": [_kpi(row, f"{prefix}-k{i}") for i, row in enumerate(scope["kpis"])],
                "declarations": _declarations(scope["declarations"]),
                "feedback": _feedback(scope["feedback"], f"{prefix}-f"),
                "surveys": _surveys(scope["surveys"]),
                "improvement": scope.get("improvement"),
            }
        )
    return scopes


def report_title(report: Report) -> str:
    return gettext("Service report to the management group, %(period)s") % {
        "period": _period_label(report.period)
    }


def report_context(report: Report) -> dict[str, Any]:
    figures = current_figures(report)
    return {
        "report": report,
        "title": report_title(report),
        "period_label": _period_label(report.period),
        "scopes": present(figures),
        "computed_at": figures.get("computed_at"),
    }


def report_html(report: Report, *, language: str) -> str:
    """The report as a standalone HTML document (what the PDF is made from)."""
    with translation.override(language):
        return render_to_string(
            "network/report_pdf.html", {**report_context(report), "language": language}
        )


def report_pdf(report: Report, *, language: str) -> bytes:
    """The report as a PDF in `language`: the stored one for a final report."""
    stored = report.pdf_sv if language == "sv" else report.pdf_en
    if report.is_final and stored:
        return bytes(stored)
    from weasyprint import CSS, HTML

    html = report_html(report, language=language)
    css_path = finders.find(PRINT_CSS)
    stylesheets = [CSS(filename=str(css_path))] if css_path else []
    # No base URL: the report refers to nothing outside itself, so nothing is fetched.
    pdf = HTML(string=html).write_pdf(stylesheets=stylesheets)
    return bytes(pdf or b"")
