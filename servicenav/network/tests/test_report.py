"""The service report: its figures are those the KPI pages, the declarations' follow-up and
the public feedback statistics give for the same unit and period; a final report keeps
them (and its PDFs) whatever happens to the data later and refuses every change; the PDF
is a PDF in Swedish and in English; bad input is a 4xx."""

from __future__ import annotations

import re
import zlib
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from servicenav.core.periods import Period, PeriodKind
from servicenav.declarations.models import FollowUp
from servicenav.declarations.tests.factories import draft_declaration
from servicenav.kpis.models import Indicator, Measurement, Target
from servicenav.kpis.selectors import reading, targets_by_year, trend_readings
from servicenav.network.figures import report_follow_ups
from servicenav.network.models import Report
from servicenav.network.report import report_figures, report_title
from servicenav.network.services import report_create, report_request_final, report_write
from servicenav.network.tasks import finalise_report
from servicenav.public.figures import ALL, feedback_figures
from servicenav.public.models import FeedbackMonth

pytestmark = pytest.mark.django_db

T1 = Period.parse("2026-T1")
TODAY = date(2026, 6, 1)


def indicator(unit, code, *, kind=PeriodKind.TERTIAL, target=None):
    made = Indicator.objects.create(
        unit=unit,
        code=code,
        name_sv=f"Andel {code}",
        name_en=f"Share {code}",
        kind="reachability",
        definition_sv="Definition",
        source="manual",
        unit_of_measure="percent",
        period_kind=kind.value,
    )
    if target is not None:
        Target.objects.create(indicator=made, year=2026, value=Decimal(target))
    return made


def measure(ind, unit, period, value, n=40):
    return Measurement.objects.create(
        indicator=ind,
        unit=unit,
        period=period.code,
        period_start=period.start,
        period_end=period.end,
        value=None if value is None else Decimal(value),
        n=n,
        source="manual",
    )


def follow_up(commitment, code, result, **fields):
    period = Period.parse(code)
    return FollowUp.objects.create(
        commitment=commitment,
        commitment_key=commitment.key,
        period=code,
        period_start=period.start,
        period_end=period.end,
        result=result,
        **fields,
    )


def month(unit, kind, day, **counts):
    return FeedbackMonth.objects.create(unit=unit, kind=kind, month=day, **counts)


@pytest.fixture
def data(tree):
    answer = indicator(tree.teknik, "svar", target="80")
    measure(answer, tree.teknik, T1, "85.5")
    measure(answer, tree.gata, T1, "70")
    measure(answer, tree.teknik, Period.parse("2025-T3"), "60")
    monthly = indicator(tree.kommun, "telefon", kind=PeriodKind.MONTH, target="90")
    for number, value in ((1, "91"), (2, "88"), (4, "86.5")):
        measure(monthly, tree.kommun, Period(PeriodKind.MONTH, 2026, number), value)
    measure(monthly, tree.kommun, Period(PeriodKind.MONTH, 2026, 5), "99")  # after T1
    commitment = draft_declaration(tree.gata).commitments.get()
    follow_up(commitment, "2026-01", "kept", value=Decimal("95.0"), cases=20)
    follow_up(
        commitment,
        "2026-02",
        "not_kept",
        value=Decimal("70.0"),
        cases=10,
        explanation="Sjukfrånvaro",
        planned_action="Vi förstärker bemanningen.",
    )
    follow_up(commitment, "2026-03", "not_enough_data", cases=2)
    follow_up(commitment, "2025-12", "not_kept", value=Decimal("10.0"), cases=10)
    month(
        tree.gata,
        "complaint",
        date(2026, 1, 1),
        received=12,
        answered=10,
        days_to_answer={"2": 6, "5": 4},
        due=11,
        due_in_time=9,
    )
    month(
        tree.gata,
        "question",
        date(2026, 3, 1),
        received=3,
        answered=3,
        days_to_answer={"1": 3},
        due=3,
        due_in_time=3,
    )
    month(
        tree.hemtjanst,
        "praise",
        date(2026, 2, 1),
        received=7,
        answered=7,
        days_to_answer={"1": 7},
        due=7,
        due_in_time=7,
    )
    month(
        tree.gata,
        "complaint",
        date(2026, 5, 1),
        received=50,
        answered=50,
        days_to_answer={"1": 50},
        due=50,
        due_in_time=50,
    )
    return {"answer": answer, "monthly": monthly}


def mark_final(report, by) -> Report:
    """Ask for the report to be marked final and run the background task, as the worker
    would once the request commits."""
    report_request_final(report=report, by=by)
    finalise_report.call(report.pk)
    report.refresh_from_db()
    return report


def scope_of(figures, unit):
    return next(s for s in figures["scopes"] if s["unit_id"] == unit.pk)


def test_the_report_covers_the_municipality_and_each_forvaltning(tree, data):
    figures = report_figures(T1)
    assert [s["unit_id"] for s in figures["scopes"]] == [
        tree.kommun.pk,
        *sorted(
            [tree.teknik.pk, tree.social.pk],
            key=lambda pk: {tree.teknik.pk: "Teknik", tree.social.pk: "Social"}[pk],
        ),
    ]


def test_kpi_values_equal_the_kpi_pages(tree, data):
    figures = report_figures(T1)
    teknik = {row["code"]: row for row in scope_of(figures, tree.teknik)["kpis"]}
    answer = data["answer"]
    expected = next(
        r for r in trend_readings(answer, today=date(2026, 5, 1)) if r.period == "2026-T1"
    )
    assert teknik["svar"]["value"] == str(expected.value) == "85.50"
    assert teknik["svar"]["target"] == str(expected.target)
    assert teknik["svar"]["status"] == expected.status == "met"
    # Read for the municipality: the förvaltning's own indicator at its owner, the
    # municipality's monthly one at its last month in the tertial (April).
    kommun = {row["code"]: row for row in scope_of(figures, tree.kommun)["kpis"]}
    monthly = data["monthly"]
    april = Measurement.objects.get(indicator=monthly, period="2026-04")
    judged = reading(monthly, april, targets_by_year(monthly))
    assert kommun["telefon"]["value"] == str(judged.value) == "86.50"
    assert kommun["telefon"]["status"] == judged.status == "near"
    assert kommun["svar"]["value"] == "85.50"
    assert [p["period"] for p in kommun["telefon"]["trend"]][-1] == "2026-04"


def test_declaration_follow_up_counts_equal_the_follow_ups(tree, data):
    figures = report_figures(T1)
    for unit in (tree.kommun, tree.teknik, tree.social):
        counts = scope_of(figures, unit)["declarations"]["counts"]
        stored = FollowUp.objects.filter(
            commitment__version__declaration__unit__path__startswith=unit.path,
            period_start__gte=T1.start,
            period_end__lte=T1.end,
        )
        for result in FollowUp.Result.values:
            assert counts[result] == stored.filter(result=result).count()
        assert len(report_follow_ups(unit, T1)) == stored.count()
    teknik = scope_of(figures, tree.teknik)["declarations"]
    assert teknik["counts"] == {"kept": 1, "not_kept": 1, "not_enough_data": 1}
    assert teknik["not_kept"][0]["explanation"] == "Sjukfrånvaro"
    assert teknik["not_kept"][0]["planned_action"] == "Vi förstärker bemanningen."


def test_feedback_figures_equal_the_public_statistics(tree, data):
    figures = report_figures(T1)
    for unit in (tree.kommun, tree.teknik, tree.social):
        public = feedback_figures([unit], [T1])
        for row in scope_of(figures, unit)["feedback"]:
            source = public[unit.pk, row["kind"], T1.code]
            assert (row["received"], row["answered"], row["due"]) == (
                source.received,
                source.answered,
                source.due,
            )
            assert row["by_deadline"]["value"] == (
                None if source.by_deadline.value is None else str(source.by_deadline.value)
            )
    total = next(r for r in scope_of(figures, tree.kommun)["feedback"] if r["kind"] == ALL)
    assert (total["received"], total["due"]) == (22, 21)


def public_statistics_page(client, unit, period_code: str):
    """What the public feedback statistics page shows for the unit, every kind, period."""
    with translation.override("en"):
        url = reverse("public:feedback-statistics")
    response = client.get(url, {"unit": unit.pk, "kind": ALL, "period": period_code})
    assert response.status_code == 200, response.context["form"].errors
    return response.context["page"]


def test_feedback_figures_equal_those_the_public_statistics_page_shows(client, tree, data):
    # The public page offers years, quarters and months: a yearly report compares whole.
    year = Period.parse("2026")
    figures = report_figures(year)
    for unit in (tree.kommun, tree.teknik, tree.social):
        shown = {row.kind: row for row in public_statistics_page(client, unit, "2026").by_kind}
        rows = scope_of(figures, unit)["feedback"]
        assert {row["kind"] for row in rows} == set(shown)
        for row in rows:
            public = shown[row["kind"]]
            assert (row["received"], row["answered"], row["due"]) == (
                public.received,
                public.answered,
                public.due,
            )
            for name in ("by_deadline", "median_days", "p90_days"):
                figure = getattr(public, name)
                expected = None if figure.value is None else str(figure.value)
                assert (row[name]["value"], row[name]["n"]) == (expected, figure.n), name
    kommun = next(r for r in scope_of(figures, tree.kommun)["feedback"] if r["kind"] == ALL)
    assert kommun["received"] == 72  # with May's 50, after the first tertial


def test_a_tertials_feedback_counts_are_the_sums_of_its_months_on_the_public_page(
    client, tree, data
):
    figures = report_figures(T1)
    for unit in (tree.kommun, tree.teknik, tree.social):
        months = public_statistics_page(client, unit, "2026").by_month
        in_t1 = [month for month in months if month.period.start <= T1.end]
        assert len(in_t1) == 4
        total = next(r for r in scope_of(figures, unit)["feedback"] if r["kind"] == ALL)
        assert (total["received"], total["answered"], total["due"]) == (
            sum(month.received for month in in_t1),
            sum(month.answered for month in in_t1),
            sum(month.due for month in in_t1),
        )


def test_a_final_report_keeps_its_figures_whatever_happens_to_the_data(tree, data, people):
    report = report_create(period=T1, by=people.chair, today=TODAY)
    with pytest.raises(ValidationError):
        report_request_final(report=report, by=people.chair)  # no summary yet
    report_write(report=report, summary="Bra tertial.", conclusions="Fortsätt.", by=people.chair)
    report = mark_final(report, people.chair)
    frozen = report.figures

    Measurement.objects.filter(indicator=data["answer"], unit=tree.teknik).update(value=1)
    FeedbackMonth.objects.filter(unit=tree.gata).update(received=999)
    FollowUp.objects.all().update(result="kept")

    report.refresh_from_db()
    assert report.figures == frozen
    teknik = scope_of(report.figures, tree.teknik)
    assert {r["code"]: r["value"] for r in teknik["kpis"]}["svar"] == "85.50"
    with pytest.raises(ValidationError):
        report_write(report=report, summary="Annat", conclusions="", by=people.chair)
    with pytest.raises(ValidationError):
        report_request_final(report=report, by=people.chair)
    report.refresh_from_db()
    assert (report.summary, report.figures) == ("Bra tertial.", frozen)
    assert bytes(report.pdf_sv).startswith(b"%PDF")
    assert bytes(report.pdf_en).startswith(b"%PDF")


def test_the_page_of_a_final_report_shows_the_frozen_figures_and_refuses_edits(
    client, tree, data, people
):
    report = report_create(period=T1, by=people.chair, today=TODAY)
    report_write(report=report, summary="Sammanfattning", conclusions="Slutsats", by=None)
    mark_final(report, people.chair)
    FeedbackMonth.objects.filter(unit=tree.gata).update(received=999)
    client.force_login(people.member)
    url = "/en" + reverse("network:report", args=[report.pk])
    page = client.get(url).content.decode()
    assert "999" not in page
    assert "85.5 %" in page
    response = client.post(url, {"summary": "Ändrad", "conclusions": "x"})
    assert response.status_code == 400
    report.refresh_from_db()
    assert report.summary == "Sammanfattning"


def pdf_objects(pdf: bytes) -> bytes:
    """The PDF with its compressed streams (object streams too) inflated."""
    parts = [pdf]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.DOTALL):
        try:
            parts.append(zlib.decompress(stream))
        except zlib.error:
            continue
    return b"\n".join(parts)


def pdf_title(pdf: bytes) -> str:
    found = re.search(rb"/Title\s*(<[0-9A-Fa-f]+>|\((?:[^()\\]|\\.)*\))", pdf)
    assert found, "the PDF has a title"
    raw = found.group(1)
    if raw.startswith(b"<"):
        data = bytes.fromhex(raw[1:-1].decode())
        return data[2:].decode("utf-16-be") if data[:2] == b"\xfe\xff" else data.decode("latin-1")
    return raw[1:-1].decode("latin-1")


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_pdf_is_a_pdf_with_the_title_in_its_language(client, tree, data, people, language):
    report = report_create(period=T1, by=people.chair, today=TODAY)
    client.force_login(people.member)
    response = client.get(reverse("network:report-pdf", args=[report.pk, language]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert pdf.startswith(b"%PDF")
    objects = pdf_objects(pdf)
    assert len(re.findall(rb"/Type\s*/Page\b", objects)) > 0
    with translation.override(language):
        title = report_title(report)
    assert pdf_title(objects) == title


def test_the_pdf_text_has_the_headings_and_key_figures(client, tree, data, people):
    pypdf = pytest.importorskip("pypdf")
    import io

    report = report_create(period=T1, by=people.chair, today=TODAY)
    client.force_login(people.member)
    pdf = client.get(reverse("network:report-pdf", args=[report.pk, "en"])).content
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "Key performance indicators against target and norms" in text
    assert "85.5" in text


def test_the_draft_page_and_writing_the_summary(client, tree, data, people):
    report = report_create(period=T1, by=people.chair, today=TODAY)
    client.force_login(people.member)
    url = "/en" + reverse("network:report", args=[report.pk])
    page = client.get(url).content.decode()
    assert "Draft: the figures are read from the data now." in page
    assert "Improvement actions started and completed" in page
    assert "No data yet." in page
    client.post(url, {"summary": "S", "conclusions": "K"})
    client.post(reverse("network:report-finalise", args=[report.pk]))
    report.refresh_from_db()
    assert report.is_finalising
    finalise_report.call(report.pk)
    report.refresh_from_db()
    assert report.is_final
    assert report.summary == "S"


@pytest.mark.parametrize("period", ["2026-Q1", "2026-13", "nonsense", "2026-04", "2099-T1", ""])
def test_a_report_for_a_bad_period_is_400(client, people, period):
    client.force_login(people.member)
    response = client.post("/en" + reverse("network:report-create"), {"period": period})
    assert response.status_code == 400
    assert not Report.objects.exists()


def test_a_second_report_for_the_same_period_is_400(client, people):
    client.force_login(people.member)
    url = reverse("network:report-create")
    assert client.post(url, {"period": "2025-T1"}).status_code == 302
    assert client.post(url, {"period": "2025-T1"}).status_code == 400
    assert Report.objects.count() == 1


def test_reports_are_closed_to_outsiders_and_missing_ones_are_404(client, people):
    report = report_create(period=Period.parse("2025"), by=None, today=TODAY)
    client.force_login(people.outsider)
    assert client.get(reverse("network:report", args=[report.pk])).status_code == 403
    assert client.get(reverse("network:report-pdf", args=[report.pk, "sv"])).status_code == 403
    client.force_login(people.member)
    assert client.get(reverse("network:report", args=[999999])).status_code == 404
    assert client.get(reverse("network:report-pdf", args=[report.pk, "de"])).status_code == 404
