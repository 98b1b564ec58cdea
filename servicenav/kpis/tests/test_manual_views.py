"""The staff pages for figures measured elsewhere: typing one in, and importing a file
through a preview that saves nothing until it is confirmed. Pages are read in English
(/en/) so that new texts can be compared."""

from __future__ import annotations

import io
import re
from datetime import date
from decimal import Decimal
from html import unescape

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from servicenav.core.models import AuditEntry
from servicenav.core.periods import Period, PeriodKind
from servicenav.kpis.models import Indicator, Measurement
from servicenav.organisation.models import Role
from servicenav.testing import make_user

pytestmark = pytest.mark.django_db

LAST_MONTH = Period.containing(timezone.localdate(), PeriodKind.MONTH).previous()
NEXT_MONTH = Period.containing(timezone.localdate(), PeriodKind.MONTH).next()


def en(name: str, *args: object) -> str:
    with translation.override("en"):
        return reverse(f"kpis:{name}", args=args)


def text(response) -> str:
    """The page as a reader sees it: tags dropped, entities decoded, spaces collapsed."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def said(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def make_indicator(unit, **fields) -> Indicator:
    defaults = {
        "code": "telefon-60",
        "name_sv": "Andel samtal besvarade inom 60 sekunder",
        "name_en": "Calls answered within 60 seconds",
        "kind": "reachability",
        "definition_sv": "Andel inkommande samtal som besvarats inom 60 sekunder, per månad.",
        "source": "manual",
        "unit_of_measure": "percent",
        "period_kind": "month",
    }
    return Indicator.objects.create(unit=unit, **(defaults | fields))


@pytest.fixture
def indicator(tree) -> Indicator:
    return make_indicator(tree.teknik)


@pytest.fixture
def manager(tree, client):
    user = make_user(role=Role.UNIT_MANAGER, unit=tree.teknik)
    client.force_login(user)
    return user


def upload(content: bytes, name: str = "telefoni.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


def csv_file(*rows: str) -> SimpleUploadedFile:
    return upload(("period;value;n;unit\n" + "\n".join(rows) + "\n").encode("utf-8-sig"))


def stored() -> list[tuple[str, str, Decimal | None]]:
    rows = Measurement.objects.order_by("period", "unit__path")
    return [(m.period, m.unit.name_sv, m.value) for m in rows]


# Who may


@pytest.mark.parametrize("page", ["measurement-enter", "measurement-import"])
def test_anonymous_visitors_are_sent_to_log_in(client, indicator, page):
    response = client.get(en(page, indicator.pk))
    assert response.status_code == 302
    assert "/logga-in/" in response["Location"]


@pytest.mark.parametrize("page", ["measurement-enter", "measurement-import"])
def test_staff_of_another_unit_do_not_learn_the_indicator_exists(client, tree, indicator, page):
    client.force_login(make_user(role=Role.ADMINISTRATOR, unit=tree.social))
    assert client.get(en(page, indicator.pk)).status_code == 404
    assert client.get(en(page, 999_999)).status_code == 404


@pytest.mark.parametrize("role", [Role.VIEWER, Role.CASE_HANDLER])
def test_readers_may_not_enter_or_import_and_nothing_is_saved(client, tree, indicator, role):
    client.force_login(make_user(role=role, unit=tree.teknik))
    assert client.get(en("measurement-enter", indicator.pk)).status_code == 403
    response = client.post(
        en("measurement-enter", indicator.pk),
        {"unit": tree.teknik.pk, "period": LAST_MONTH.code, "value": "90"},
    )
    assert response.status_code == 403
    response = client.post(
        en("measurement-import", indicator.pk), {"file": csv_file(f"{LAST_MONTH.code};90;;")}
    )
    assert response.status_code == 403
    assert not Measurement.objects.exists()


def test_a_manager_of_a_unit_above_the_owner_may_enter_values(client, tree, indicator):
    client.force_login(make_user(role=Role.QUALITY_COORDINATOR, unit=tree.kommun))
    assert client.get(en("measurement-enter", indicator.pk)).status_code == 200
    assert client.get(en("measurement-import", indicator.pk)).status_code == 200


# Typing a value in


def test_the_form_offers_the_owner_and_the_units_below_it_and_last_month(
    client, tree, indicator, manager
):
    response = client.get(en("measurement-enter", indicator.pk))
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.fields["unit"].queryset) == [tree.teknik, tree.gata, tree.vatten]
    assert form.fields["period"].initial == LAST_MONTH.code
    page = text(response)
    assert "Enter a value: Calls answered within 60 seconds" in page
    assert "No values have been saved yet." in page


def test_a_value_with_a_decimal_comma_is_saved_and_audited(client, tree, indicator, manager):
    data = {
        "unit": tree.gata.pk,
        "period": LAST_MONTH.code,
        "value": "93,5",
        "n": "1204",
        "comment": "Månadsrapport från växeln",
    }
    response = client.post(en("measurement-enter", indicator.pk), data, follow=True)
    assert response.redirect_chain[-1][0] == en("measurement-enter", indicator.pk)
    assert said(response) == [f"The value for Gata (en), {LAST_MONTH.code} is saved."]
    saved = Measurement.objects.get()
    assert (saved.unit, saved.value, saved.n, saved.entered_by, saved.source) == (
        tree.gata,
        Decimal("93.5"),
        1204,
        manager,
        "manual",
    )
    assert "Månadsrapport från växeln" in text(response)
    assert AuditEntry.objects.filter(object_id=str(saved.pk), actor=manager).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"value": "120"}, "A percentage must be between 0 and 100."),
        ({"value": "mycket"}, "“mycket” is not a number."),
        ({"value": ""}, "This field is required."),
        ({"period": "2025-Q1"}, "This indicator is measured per month"),
        ({"period": NEXT_MONTH.code}, "has not started yet."),
        ({"n": "-4"}, "The number measured must be a whole number of zero or more."),
        ({"unit": "999999"}, "Select a valid choice."),
    ],
)
def test_bad_input_is_explained_and_saves_nothing(client, tree, indicator, manager, data, message):
    posted = {"unit": tree.teknik.pk, "period": LAST_MONTH.code, "value": "90"} | data
    response = client.post(en("measurement-enter", indicator.pk), posted)
    assert response.status_code == 400
    assert message in text(response)
    assert not Measurement.objects.exists()


def test_a_unit_outside_the_owner_cannot_be_chosen(client, tree, indicator, manager):
    posted = {"unit": tree.hemtjanst.pk, "period": LAST_MONTH.code, "value": "90"}
    response = client.post(en("measurement-enter", indicator.pk), posted)
    assert response.status_code == 400
    assert not Measurement.objects.exists()


def test_a_saved_value_is_shown_and_replaced_only_when_asked(client, tree, indicator, manager):
    url = en("measurement-enter", indicator.pk)
    posted = {"unit": tree.teknik.pk, "period": LAST_MONTH.code, "value": "80"}
    client.post(url, posted)
    response = client.post(url, posted | {"value": "85"})
    assert response.status_code == 400
    label = LAST_MONTH.label
    assert f"Teknik (en) already has the value 80 for {label}. Tick the box to replace it." in (
        text(response)
    )
    assert stored() == [(LAST_MONTH.code, "Teknik", Decimal("80"))]
    response = client.post(url, posted | {"value": "85", "replace": "on"})
    assert response.status_code == 302
    assert stored() == [(LAST_MONTH.code, "Teknik", Decimal("85"))]
    update = AuditEntry.objects.get(content_type__model="measurement", action="update")
    assert update.changes["value"] == {"from": "80.00", "to": "85.00"}


def test_an_indicator_computed_from_cases_has_no_form(client, tree, manager):
    computed = make_indicator(tree.teknik, source="cases", statistic="share_praise", code="beröm")
    response = client.get(en("measurement-enter", computed.pk))
    assert "The values of this indicator are computed from cases." in text(response)
    assert "form" not in response.context
    posted = {"unit": tree.teknik.pk, "period": LAST_MONTH.code, "value": "90"}
    assert client.post(en("measurement-enter", computed.pk), posted).status_code == 400
    assert client.post(en("measurement-import", computed.pk), {"token": "x"}).status_code == 400
    assert not Measurement.objects.exists()


# Importing a file


def test_the_import_page_shows_how_the_file_should_look(client, indicator, manager):
    response = client.get(en("measurement-import", indicator.pk))
    page = text(response)
    assert "How the file should look" in page
    assert f"One month per row, written like {LAST_MONTH.code}." in page
    before = LAST_MONTH.previous().code
    assert f"period;value;n;unit {before};93,5;1204; {LAST_MONTH.code};91,0;1187;" in page
    assert "Gata (en)" in page  # the example and the list of units


def test_a_preview_with_errors_shows_each_row_and_saves_nothing(client, tree, indicator, manager):
    file = csv_file(
        f"{LAST_MONTH.code};93,5;1204;",
        "",
        f"{LAST_MONTH.code};101;;Gata",
        f"{LAST_MONTH.code};90;;Hemtjänst",
        f"{LAST_MONTH.code};91;;",
    )
    response = client.post(en("measurement-import", indicator.pk), {"file": file})
    assert response.status_code == 400
    page = text(response)
    assert "3 rows have errors." in page
    assert "Row 4 : A percentage must be between 0 and 100." in page
    assert "Row 5 : “Hemtjänst” is not Teknik (en) or a unit below it." in page
    assert "Row 6 : The same period and unit as row 2." in page
    assert response.context["token"] == ""
    assert "Save 4 values" not in page
    assert not client.session.get(f"kpis-import-{indicator.pk}")
    assert not Measurement.objects.exists()


def test_a_clean_preview_saves_nothing_until_confirmed(client, tree, indicator, manager):
    before = LAST_MONTH.previous()
    file = csv_file(f"{before.code};93,5;1204;", f"{LAST_MONTH.code};91;1187;Gata")
    url = en("measurement-import", indicator.pk)
    response = client.post(url, {"file": file, "comment": "Växelrapport"})
    assert response.status_code == 200
    assert "Save 2 values" in text(response)
    assert "93.5" in text(response)
    assert not Measurement.objects.exists()
    token = response.context["token"]
    response = client.post(url, {"token": token}, follow=True)
    assert response.redirect_chain[-1][0] == en("staff-detail", indicator.pk)
    assert "2 values are saved." in said(response)
    assert stored() == [
        (before.code, "Teknik", Decimal("93.5")),
        (LAST_MONTH.code, "Gata", Decimal("91")),
    ]
    assert set(Measurement.objects.values_list("comment", "entered_by")) == {
        ("Växelrapport", manager.pk)
    }
    # The same confirmation again saves nothing more: the preview is gone.
    response = client.post(url, {"token": token}, follow=True)
    assert said(response) == ["The preview has expired. Upload the file again."]
    assert Measurement.objects.count() == 2


def test_a_confirmation_without_the_previews_token_saves_nothing(client, indicator, manager):
    url = en("measurement-import", indicator.pk)
    client.post(url, {"file": csv_file(f"{LAST_MONTH.code};90;;")})
    for token in ("", "guessed", "åäö", "[[2, 1, '2025-01', '50', null]]"):
        response = client.post(url, {"token": token}, follow=True)
        assert said(response) == ["The preview has expired. Upload the file again."]
    assert not Measurement.objects.exists()


def test_a_preview_for_one_indicator_cannot_be_saved_into_another(client, tree, manager):
    first = make_indicator(tree.teknik, code="a")
    second = make_indicator(tree.teknik, code="b")
    response = client.post(
        en("measurement-import", first.pk), {"file": csv_file(f"{LAST_MONTH.code};90;;")}
    )
    token = response.context["token"]
    client.post(en("measurement-import", second.pk), {"token": token})
    assert not Measurement.objects.exists()


def test_a_renamed_program_is_refused_with_a_clear_message(client, indicator, manager):
    program = upload(b"MZ\x90\x00\x03\x00\x00\x00" + bytes(range(256)), name="siffror.csv")
    response = client.post(en("measurement-import", indicator.pk), {"file": program})
    assert response.status_code == 400
    assert "The file is neither a CSV file nor an Excel workbook (.xlsx)." in text(response)
    assert not Measurement.objects.exists()


def test_an_excel_workbook_goes_through_the_same_preview(client, tree, indicator, manager):
    book = openpyxl.Workbook()
    book.active.append(["Period", "Värde", "Antal", "Enhet"])
    book.active.append([date(LAST_MONTH.year, LAST_MONTH.number, 1), 0.912, 88, "Vatten"])
    book.active["B2"].number_format = "0.0%"
    buffer = io.BytesIO()
    book.save(buffer)
    file = upload(buffer.getvalue(), name="export.xlsx")
    url = en("measurement-import", indicator.pk)
    response = client.post(url, {"file": file})
    assert response.status_code == 200, text(response)
    client.post(url, {"token": response.context["token"]})
    assert stored() == [(LAST_MONTH.code, "Vatten", Decimal("91.2"))]


def test_an_upload_without_a_file_or_with_bad_columns_is_explained(client, indicator, manager):
    url = en("measurement-import", indicator.pk)
    response = client.post(url, {})
    assert response.status_code == 400
    assert "This field is required." in text(response)
    response = client.post(url, {"file": upload(b"datum;antal\n2025-01;5\n")})
    assert response.status_code == 400
    assert "“datum” is not one of them" in text(response)
    assert not Measurement.objects.exists()


def test_the_swedish_page_is_swedish_by_default(client, indicator, manager):
    response = client.get(reverse("kpis:measurement-import", args=[indicator.pk]))
    assert response.status_code == 200
    assert response.wsgi_request.LANGUAGE_CODE == "sv"
