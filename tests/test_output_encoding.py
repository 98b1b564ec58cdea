"""Stored text with markup in it is shown as text wherever it comes out: staff's case page
and inbox, the citizen's case page, the e-mails to the citizen, Open311's XML and JSON, the
network report's PDF and the open-data CSV files, where text a spreadsheet would run as a
formula starts with an apostrophe.

Already shown elsewhere, not repeated here: the survey exports and the survey analysis
CSV neutralise formulas (servicenav/surveys/tests/test_exports.py,
test_analysis_export.py), survey option labels in open data
(servicenav/public/tests/test_open_data.py), charts escape their texts
(servicenav/kpis/tests/test_charts.py). There is no CSV export of cases for staff: the
register extract is HTML or JSON, and is checked here.
"""

from __future__ import annotations

import csv
import email
import io
from datetime import date
from email import policy

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

from servicenav.api.open311.testing import make_service, parse_json, parse_xml
from servicenav.cases.models import Case
from servicenav.cases.services import (
    case_categorise,
    case_close,
    case_publish,
    case_reply,
    case_submit,
    citizen_message,
)
from servicenav.core.periods import Period
from servicenav.network.report import report_pdf
from servicenav.network.services import report_create, report_write
from servicenav.organisation.models import Role
from servicenav.organisation.services import unit_update
from servicenav.public.feedback import feedback_statistics_compute
from servicenav.testing import make_case, make_user

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
IMAGE = '"><img src=x onerror=alert(1)>'
MARKUP = f"{SCRIPT} {IMAGE}"
# How the escaped markup looks in HTML (Django escapes ' as &#x27; and " as &quot;).
ESCAPED = ["&lt;script&gt;alert(1)&lt;/script&gt;", "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"]
FORMULAS = ['=HYPERLINK("http://evil.example")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)"]


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()


def assert_shown_as_text(html: str) -> None:
    """The markup is on the page, escaped, and nowhere as markup."""
    assert SCRIPT not in html
    assert "<img src=x" not in html
    for escaped in ESCAPED:
        assert escaped in html


@pytest.fixture
def handler(tree):
    return make_user(role=Role.CASE_HANDLER, unit=tree.gata, first_name="Sara")


@pytest.fixture
def marked_case(tree, handler):
    """A case where everything the citizen and staff typed carries markup, and its code."""
    case, code = case_submit(
        kind="complaint",
        unit=tree.gata,
        text=MARKUP,
        place=MARKUP,
        reporter_name=MARKUP,
        reporter_email="kim@example.org",
        reporter_phone="070-123 45 67",
        wants_answer=True,
    )
    citizen_message(case=case, text=f"Meddelande {MARKUP}")
    case_reply(case=case, text=f"Svar {MARKUP}", by=handler)
    return case, code


def test_the_staff_case_page_and_inbox_show_markup_as_text(client, marked_case, handler):
    case, _code = marked_case
    client.force_login(handler)

    page = client.get(reverse("cases:case", args=[case.pk]))
    inbox = client.get(reverse("cases:inbox"))

    assert page.status_code == inbox.status_code == 200
    assert_shown_as_text(page.content.decode())
    assert SCRIPT not in inbox.content.decode()


def test_the_register_extract_shows_markup_as_text_in_html_and_json(client, marked_case, handler):
    client.force_login(handler)
    url = reverse("cases:register-extract")

    page = client.post(url, {"email": "kim@example.org"})
    as_json = client.post(f"{url}?format=json", {"email": "kim@example.org"})

    assert_shown_as_text(page.content.decode())
    assert as_json["Content-Type"].startswith("application/json")
    assert as_json.json()["cases"][0]["text"] == MARKUP


def test_the_citizens_case_page_shows_markup_as_text(client, marked_case):
    case, code = marked_case
    url = reverse("cases:public-case", args=[case.reference])

    response = client.get(url, {"kod": code}, follow=True)

    assert response.status_code == 200
    html = response.content.decode()
    assert_shown_as_text(html)
    assert "Meddelande &lt;script&gt;" in html
    assert "Svar &lt;script&gt;" in html


def run_worker() -> None:
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)


def parts_of(message: dict) -> tuple[str, str, str]:
    """Subject, plain text and HTML of a message the SMTP server received."""
    parsed = email.message_from_bytes(message["data"].encode(), policy=policy.default)
    plain = parsed.get_body(preferencelist=("plain",))
    html = parsed.get_body(preferencelist=("html",))
    assert plain is not None
    assert html is not None
    return str(parsed["Subject"]), plain.get_content(), html.get_content()


@pytest.mark.django_db(transaction=True)
def test_the_receipt_and_the_reply_carry_markup_as_text(tree, smtp):
    handler = make_user(role=Role.CASE_HANDLER, unit=tree.gata)
    case, _code = case_submit(
        kind="complaint",
        unit=tree.gata,
        text=MARKUP,
        reporter_name=MARKUP,
        reporter_email="kim@example.org",
        wants_answer=True,
    )
    case_reply(case=case, text=f"Svar: {MARKUP} & så vidare", by=handler)
    run_worker()

    (receipt, reply) = [parts_of(message) for message in smtp.messages]
    for subject, _plain, html in (receipt, reply):
        assert SCRIPT not in subject
        assert SCRIPT not in html
        assert "<img src=x" not in html
    # The receipt quotes nothing the citizen wrote.
    assert "alert(1)" not in "".join(receipt)
    # The reply: escaped in HTML, as written in plain text (no entities to puzzle over).
    reply_html, reply_plain = reply[2], reply[1]
    for escaped in ESCAPED:
        assert escaped in reply_html
    assert f"Svar: {MARKUP} & så vidare" in reply_plain


def test_open311_gives_published_markup_back_as_text(client, tree, handler):
    service = make_service(unit=tree.gata, needs_location=True)
    case = make_case(unit=tree.gata, place="Storgatan 1")
    case_categorise(case=case, category=service, by=handler)
    case_close(case=case, outcome="actioned", by=handler)
    case_publish(case=case, summary=MARKUP, answer=MARKUP, by=handler)
    Case.objects.filter(pk=case.pk).update(place=MARKUP)

    xml = client.get(f"/open311/v2/requests/{case.reference}.xml")
    json = client.get(f"/open311/v2/requests/{case.reference}.json")

    assert SCRIPT not in xml.content.decode()
    request = parse_xml(xml).find("request")
    assert request is not None
    assert request.findtext("description") == MARKUP
    assert request.findtext("address") == MARKUP
    assert parse_json(json)[0]["description"] == MARKUP


def test_the_network_report_pdf_shows_markup_as_literal_text(tree):
    pypdf = pytest.importorskip("pypdf")
    chair = make_user(role=Role.QUALITY_COORDINATOR, unit=tree.kommun)
    report = report_create(period=Period.parse("2026-T1"), by=chair, today=date(2026, 6, 1))
    report_write(report=report, summary=f"Sammanfattning {MARKUP}", conclusions=MARKUP, by=chair)
    report.refresh_from_db()

    pdf = report_pdf(report, language="sv")

    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    flat = "".join(text.split())
    assert "".join(f"Sammanfattning {MARKUP}".split()) in flat  # printed, not interpreted
    assert "&lt;" not in text
    for active in (b"/JavaScript", b"/JS", b"/Launch"):
        assert active not in pdf


def read_csv(response) -> list[dict[str, str]]:
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize("formula", FORMULAS)
def test_open_data_csv_starts_formulas_with_an_apostrophe(client, tree, formula):
    unit_update(unit=tree.gata, by=None, name_sv=formula, name_en=formula)
    case = make_case(unit=tree.gata)
    moment = case.received_at.replace(year=case.received_at.year - 1)
    Case.objects.filter(pk=case.pk).update(received_at=moment)
    feedback_statistics_compute()

    rows = read_csv(client.get("/oppna-data/synpunktsstatistik.csv"))
    as_json = client.get("/oppna-data/synpunktsstatistik.json").json()

    names = {value for row in rows for value in row.values()}
    assert "'" + formula in names
    assert formula not in names
    assert formula in {value for row in as_json["rows"] for value in row.values()}
