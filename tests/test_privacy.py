"""A reporter's contact details never leave the staff pages: no Open311 answer (with or
without a key, in XML and JSON, list, single request and updates) and no log line written
while cases are sent, followed, handled and mailed carries them. The retention command
blanks exactly the personal data of old closed cases, leaves every other case as it was,
and the public statistics, the open-data figures and the KPI measurements are the same
after it as before.

Public pages and open-data files are shown free of personal data in
servicenav/public/tests/test_public_privacy_pages.py; the retention rules case by case in
servicenav/cases/tests/test_retention.py. Logs are captured at DEBUG from every logger but
the test's own SMTP server (aiosmtpd's "mail.log", which is not our application). SQL is
logged only with DEBUG on, which production refuses to run with.
"""

from __future__ import annotations

import logging
import re
import uuid
from datetime import datetime
from decimal import Decimal
from io import StringIO
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import models
from django.forms.models import model_to_dict
from django.urls import reverse

from servicenav.api.open311.testing import make_integrator_key, make_service
from servicenav.api.services import api_key_create
from servicenav.cases.models import Attachment, Case, CaseEvent
from servicenav.cases.retention import PLACEHOLDER
from servicenav.cases.services import (
    case_categorise,
    case_close,
    case_note,
    case_publish,
    case_reply,
    case_submit,
    citizen_message,
)
from servicenav.core.models import OutgoingEmail
from servicenav.core.periods import Period
from servicenav.kpis.compute import compute_indicator
from servicenav.kpis.models import Indicator, Measurement
from servicenav.organisation.models import Role
from servicenav.public.feedback import feedback_statistics_compute
from servicenav.public.models import FeedbackMonth
from servicenav.testing import make_user

if TYPE_CHECKING:
    from collections.abc import Iterator

pytestmark = pytest.mark.django_db

STOCKHOLM = ZoneInfo("Europe/Stockholm")
NAME = "Ingrid Fjällström"
EMAIL = "ingrid.fjallstrom@example.org"
PHONE = "070-555 12 34"
# Each detail as it might be written anywhere: the phone number also without its spaces
# and dash, the name's parts on their own.
MARKERS = [NAME, "Fjällström", EMAIL, "ingrid.fjallstrom", PHONE, "0705551234", "555 12 34"]
CONTACT: dict[str, Any] = {"reporter_name": NAME, "reporter_email": EMAIL, "reporter_phone": PHONE}


def leaks(text: str) -> list[str]:
    digits = re.sub(r"[\s-]", "", text)
    found = [marker for marker in MARKERS if marker.casefold() in text.casefold()]
    return found + (["0705551234 (digits)"] if "0705551234" in digits else [])


@pytest.fixture(autouse=True)
def _fresh_limits_and_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cache.clear()


@pytest.fixture
def handler(tree):
    return make_user(role=Role.CASE_HANDLER, unit=tree.gata, first_name="Sara")


# --- Open311 -------------------------------------------------------------------------


@pytest.fixture
def open311_cases(tree, handler):
    """Cases of the reporter in every state Open311 shows: new, answered, published (with
    their text quoting them in the summary staff did not write)."""
    service = make_service(unit=tree.gata, needs_location=True)
    cases = []
    for publish in (False, True):
        case, _code = case_submit(
            kind="complaint",
            unit=tree.gata,
            text=f"Jag heter {NAME}, ring {PHONE} eller skriv till {EMAIL}.",
            place="Storgatan 7",
            latitude=Decimal("65.584819"),
            longitude=Decimal("22.156703"),
            wants_answer=True,
            **CONTACT,
        )
        case_categorise(case=case, category=service, by=handler)
        citizen_message(case=case, text=f"Hälsningar {NAME}, {PHONE}")
        case_reply(case=case, text=f"Hej {NAME}, vi ringer {PHONE}.", by=handler)
        case_note(case=case, text=f"Ringde {PHONE}", by=handler)
        if publish:
            case_close(case=case, outcome="no_action", by=handler, note="Privat mark.")
            case_publish(case=case, summary="Snö på en bil.", answer="Privat mark.", by=handler)
        cases.append(case)
    return cases


def open311_addresses(cases: list[Case]) -> list[str]:
    addresses = []
    for fmt in ("json", "xml"):
        addresses += [
            f"/open311/v2/requests.{fmt}",
            f"/open311/v2/requests.{fmt}?extensions=true",
            f"/open311/v2/requests.{fmt}?status=open,closed",
            f"/open311/v2/servicerequestupdates.{fmt}",
            f"/open311/v2/services.{fmt}",
        ]
        addresses += [f"/open311/v2/requests/{case.reference}.{fmt}" for case in cases]
        addresses += [
            f"/open311/v2/requests/{case.reference}.{fmt}?extensions=true" for case in cases
        ]
    return addresses


@pytest.mark.parametrize("key", ["none", "integrator", "staff"])
def test_no_open311_answer_carries_the_reporters_contact_details(
    client, tree, handler, open311_cases, key
):
    raw = {
        "none": None,
        "integrator": make_integrator_key()[1],
        "staff": api_key_create(name="Personal", user=handler, by=None)[1],
    }[key]

    for address in open311_addresses(open311_cases):
        query = {"api_key": raw} if raw else {}
        response = client.get(address, query)
        assert response.status_code == 200, address
        assert leaks(response.content.decode()) == [], address


def test_a_case_filed_over_open311_is_not_given_back_with_its_contact_details(client, tree):
    service = make_service(unit=tree.gata)
    _key, raw = make_integrator_key()
    sent = {
        "api_key": raw,
        "service_code": str(service.pk),
        "description": f"Trasig lykta, hälsningar {NAME}",
        "first_name": "Ingrid",
        "last_name": "Fjällström",
        "email": EMAIL,
        "phone": PHONE,
    }

    created = client.post("/open311/v2/requests.json", sent)
    reference = created.json()[0]["service_request_id"]
    shown = client.get(f"/open311/v2/requests/{reference}.json", {"api_key": raw})

    assert created.status_code == 201
    assert leaks(created.content.decode()) == []
    assert leaks(shown.content.decode()) == []
    assert Case.objects.get(reference=reference).reporter_email == EMAIL  # kept for staff


# --- Logs ----------------------------------------------------------------------------


@pytest.fixture
def every_log_line(caplog) -> Iterator[pytest.LogCaptureFixture]:
    """caplog at DEBUG on every logger, including any that do not pass records on."""
    caplog.set_level(logging.DEBUG)
    loggers = [
        (name, logger)
        for name, logger in logging.root.manager.loggerDict.items()
        if isinstance(logger, logging.Logger)
    ]
    deaf = []
    for name, logger in loggers:
        caplog.set_level(logging.DEBUG, logger=name)
        if not logger.propagate:
            logger.addHandler(caplog.handler)
            deaf.append(logger)
    try:
        yield caplog
    finally:
        for logger in deaf:
            logger.removeHandler(caplog.handler)


def logged(caplog: pytest.LogCaptureFixture) -> str:
    """Everything our application logged: messages, arguments and tracebacks."""
    lines = []
    for record in caplog.records:
        if record.name.startswith("mail.log"):
            continue  # the test's SMTP server, not the application
        lines.append(f"{record.name} {record.getMessage()} {record.args!r}")
        if record.exc_info:
            lines.append(logging.Formatter().formatException(record.exc_info))
    return "\n".join(lines)


def run_worker() -> None:
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_no_log_line_carries_contact_details_while_cases_are_sent_and_handled(
    client, tree, smtp, every_log_line
):
    handler = make_user(role=Role.CASE_HANDLER, unit=tree.gata, first_name="Sara")
    # The citizen sends feedback on the web, gets the receipt and follows the case.
    form = {
        "kind": "complaint",
        "unit": tree.gata.pk,
        "text": f"Hälsningar {NAME}, {PHONE}",
        "contact": "answer",
        "name": NAME,
        "email": EMAIL,
        "phone": PHONE,
        "submission_token": str(uuid.uuid4()),
    }
    assert client.post(reverse("cases:submit"), form).status_code == 302
    receipt = client.get(reverse("cases:receipt"))
    case = Case.objects.get()
    code = receipt.context["code"]
    client.post(reverse("cases:follow"), {"reference": case.reference, "code": "FEL-FEL-FEL"})
    page = reverse("cases:public-case", args=[case.reference])
    client.get(page, {"kod": code})
    client.post(reverse("cases:public-message", args=[case.reference]), {"text": f"{PHONE}!"})
    # An e-service files one over Open311, with the same person's details, twice wrong.
    service = make_service(unit=tree.gata)
    _key, raw = make_integrator_key()
    filed = {"api_key": raw, "service_code": str(service.pk), "email": EMAIL, "phone": PHONE}
    client.post("/open311/v2/requests.json", filed | {"description": f"Lykta, {NAME}"})
    client.post("/open311/v2/requests.json", filed | {"description": ""})
    client.post("/open311/v2/requests.json", filed | {"email": NAME, "description": "x"})
    # Staff read, answer on the page and over the REST API, and close.
    staff = client.__class__()
    staff.force_login(handler)
    staff.get(reverse("cases:case", args=[case.pk]))
    staff.post(reverse("cases:case-action", args=[case.pk, "svara"]), {"svara-text": f"Hej {NAME}"})
    staff.post(reverse("cases:register-extract"), {"email": EMAIL})
    _staff_key, staff_raw = api_key_create(name="Ärendesystem", user=handler, by=None)
    api = {"Authorization": f"Bearer {staff_raw}"}
    staff.post(
        f"/api/v1/cases/{case.pk}/reply/",
        {"text": f"Vi ringer {PHONE}"},
        content_type="application/json",
        headers=api,
    )
    staff.get(f"/api/v1/cases/?q={EMAIL}", headers=api)
    staff.get(f"/api/v1/cases/{case.pk}/", headers=api)
    # The receipt and the replies go out.
    run_worker()
    assert smtp.messages

    assert CaseEvent.objects.filter(type=CaseEvent.Type.REPLY).count() == 2
    assert every_log_line.records  # the capture works: requests and mail are logged
    assert leaks(logged(every_log_line)) == []


# --- Retention -----------------------------------------------------------------------


def at(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 10, tzinfo=STOCKHOLM)


def handled_case(tree: Any, handler: Any, received: datetime, closed: datetime | None) -> Case:
    case, _code = case_submit(
        kind="complaint",
        unit=tree.gata,
        text=f"Min granne {NAME} på Storgatan 7, ring {PHONE}.",
        place="Storgatan 7",
        latitude=Decimal("65.584819"),
        longitude=Decimal("22.156703"),
        wants_answer=True,
        received_at=received,
        at=received,
        **CONTACT,
    )
    citizen_message(case=case, text=f"Ring {PHONE}", at=received)
    case_note(case=case, text=f"Pratat med {NAME}", by=handler, at=received)
    case_reply(case=case, text=f"Hej {NAME}", by=handler, at=received)
    if closed is not None:
        case_close(case=case, outcome="answered", by=handler, at=closed)
        case_publish(case=case, summary="Snö på en bil.", answer="Vi har svarat.", by=handler)
    attachment = Attachment(
        case=case, token=uuid.uuid4().hex, extension=".jpg", content_type="image/jpeg", size=4
    )
    attachment.file.save("photo.jpg", ContentFile(b"jpeg"), save=False)
    attachment.save()
    return Case.objects.get(pk=case.pk)


@pytest.fixture
def history(tree, handler):
    """Two old closed cases (past the 36 months), a recent closed one and an open one."""
    old = [
        handled_case(tree, handler, at(2022, 3, 1), at(2022, 3, 8)),
        handled_case(tree, handler, at(2022, 5, 2), at(2022, 6, 20)),
    ]
    recent = handled_case(tree, handler, at(2026, 1, 5), at(2026, 1, 12))
    still_open = handled_case(tree, handler, at(2022, 4, 4), None)
    return old, [recent, still_open]


@pytest.fixture
def answered_in_time(tree):
    return Indicator.objects.create(
        unit=tree.gata,
        code="svar-i-tid",
        name_sv="Besvarade i tid",
        name_en="Answered in time",
        kind="lead_time",
        definition_sv="Andel besvarade senast svarsdagen, per månad.",
        statistic="share_answered_by_deadline",
        source="cases",
        unit_of_measure="percent",
        min_cases=1,
    )


MONTHS = ["2022-03", "2022-04", "2022-05", "2022-06", "2026-01"]


def figures(indicator: Indicator) -> dict[str, Any]:
    """The public feedback figures and the KPI values, computed from the cases now."""
    feedback_statistics_compute(since=at(2022, 1, 1).date())
    for month in MONTHS:
        compute_indicator(indicator, Period.parse(month))
    cache.clear()
    return {
        "feedback": sorted(
            (
                str(row.unit_id),
                row.kind,
                str(row.month),
                row.received,
                row.answered,
                repr(row.days_to_answer),
                row.due,
                row.due_in_time,
            )
            for row in FeedbackMonth.objects.all()
        ),
        "measurements": sorted(
            (row.period, str(row.unit_id), str(row.value), row.n)
            for row in Measurement.objects.filter(indicator=indicator)
        ),
    }


def open_data(client) -> bytes:
    cache.clear()
    return client.get("/oppna-data/synpunktsstatistik.csv").content


def personal_data_left() -> set[tuple[str, int]]:
    """Every text or JSON value in any table that holds the reporter's details, but the
    outbox (e-mail is kept only until it is sent and `sent_email_prune` ages it out)."""
    found = set()
    for model in apps.get_models():
        if model is OutgoingEmail:
            continue
        fields = [
            field.attname
            for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField | models.JSONField)
        ]
        for row in model._default_manager.values("pk", *fields):
            for name in fields:
                if leaks(str(row[name])):
                    found.add((model._meta.label, row["pk"]))
    return found


def test_retention_blanks_exactly_the_old_cases_and_leaves_the_statistics(
    client, tree, history, answered_in_time
):
    old, kept = history
    before = figures(answered_in_time)
    assert before["feedback"]
    assert before["measurements"]
    before_open_data = open_data(client)
    kept_before = [model_to_dict(case) for case in kept]
    kept_events = {case.pk: list(case.events.values("pk", "text")) for case in kept}

    call_command("anonymise_cases", stdout=StringIO())

    for case in old:
        case.refresh_from_db()
        assert (case.reporter_name, case.reporter_email, case.reporter_phone) == ("", "", "")
        assert case.text == str(PLACEHOLDER)
        assert (case.place, case.latitude, case.longitude) == ("", None, None)
        assert not case.attachments.exists()
        assert case.public_summary == "Snö på en bil."  # written to be public
    for case, dictionary in zip(kept, kept_before, strict=True):
        case.refresh_from_db()
        assert model_to_dict(case) == dictionary
        assert list(case.events.values("pk", "text")) == kept_events[case.pk]
        assert case.attachments.count() == 1
    # What is left is the kept cases' own, and nothing else anywhere.
    allowed = {("cases.Case", case.pk) for case in kept} | {
        ("cases.CaseEvent", pk)
        for pk in CaseEvent.objects.filter(case__in=kept).values_list("pk", flat=True)
    }
    left = personal_data_left()
    assert left  # the search finds what the kept cases hold
    assert left <= allowed
    assert figures(answered_in_time) == before
    assert open_data(client) == before_open_data
