"""What each Open311 response says, as plain structures for `render`.

A request shows only what the public may know about a case: its reference, service,
unit, status and times. Never the reporter's name, e-mail or phone, never their text or
their answers: the description is the staff-written public summary of a published case.
The place is shown only as far as it concerns public space: coordinates of services that
need a place, rounded to about 100 metres, and the address only of published cases of
such services.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from servicenav.api.open311.attributes import DESCRIPTIONS, choices
from servicenav.api.open311.dates import end_of_day, w3c
from servicenav.api.open311.render import Items
from servicenav.cases.models import CaseEvent, Outcome, Status
from servicenav.core.language import in_current_language
from servicenav.declarations.selectors import answer_promise

if TYPE_CHECKING:
    from collections.abc import Mapping

    from servicenav.cases.models import Case, Category
    from servicenav.declarations.models import Commitment

    # A case as `selectors.REQUEST_COLUMNS` reads it: plain values, no model objects.
    Row = Mapping[str, Any]

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# When the discovery document last changed (with this implementation).
CHANGESET = "2026-11-27T00:00:00Z"
FORMATS = ["text/xml", "application/json"]
MAX_DESCRIPTION = 4000
PUBLIC_PLACES = Decimal("0.001")  # about 110 m north–south, 50 m east–west up here
OUTCOME_LABELS = dict(Outcome.choices)
OUTCOMES_WITH_PUBLIC_NOTE = {Outcome.NO_ACTION, Outcome.REFERRED}
# Our states in the vocabulary of mySociety's extension (FixMyStreet reads it).
OPEN_STATUSES = {
    Status.NEW: "OPEN",
    Status.IN_PROGRESS: "IN_PROGRESS",
    Status.WAITING: "INVESTIGATING",
}
CLOSED_STATUSES = {
    Outcome.ACTIONED: "FIXED",
    Outcome.ANSWERED: "CLOSED",
    Outcome.NO_ACTION: "NO_FURTHER_ACTION",
    Outcome.REFERRED: "NOT_COUNCILS_RESPONSIBILITY",
    Outcome.DUPLICATE: "DUPLICATE",
}
UPDATE_TEXTS = {
    Status.NEW: _("Registered."),
    Status.IN_PROGRESS: _("In progress."),
    Status.WAITING: _("Waiting for more information."),
}


def base_url() -> str:
    path = reverse("open311:discovery", kwargs={"fmt": "xml"}).rsplit("/", 1)[0]
    return f"{settings.SERVICENAV_SITE_URL}{path}"


def discovery() -> dict[str, Any]:
    municipality = settings.SERVICENAV_MUNICIPALITY_NAME
    endpoint = {
        "specification": SPECIFICATION,
        "url": base_url(),
        "changeset": CHANGESET,
        "type": "production" if settings.ENVIRONMENT == "production" else "test",
        "formats": Items("format", FORMATS),
    }
    return {
        "changeset": CHANGESET,
        "contact": f"{municipality}, {settings.SERVICENAV_SITE_URL}",
        "key_service": _(
            "Keys for filing requests are issued by the administrators of %(municipality)s."
        )
        % {"municipality": municipality},
        "endpoints": Items("endpoint", [endpoint]),
    }


def service(category: Category) -> dict[str, Any]:
    return {
        "service_code": str(category.pk),
        "service_name": category.name,
        "description": category.description,
        "metadata": bool(getattr(category, "has_attributes", False)),
        "type": "realtime",
        "keywords": category.keywords,
        "group": category.unit.name,
        # Our extension: false for services that accept requests without a place.
        "location_required": category.needs_location,
    }


def definition(category: Category) -> dict[str, Any]:
    questions = [
        {
            "variable": True,
            "code": attribute.code,
            "datatype": attribute.datatype,
            "required": attribute.required,
            "datatype_description": DESCRIPTIONS.get(attribute.datatype, ""),
            "order": position,
            "description": attribute.question,
            "values": Items("value", [{"key": k, "name": name} for k, name in choices(attribute)]),
        }
        for position, attribute in enumerate(category.attributes.all(), start=1)
    ]
    return {"service_code": str(category.pk), "attributes": Items("attribute", questions)}


def _notice(answer_days: int, answer_by: date, promise: Commitment | None) -> str:
    """The expected handling time, from a case's answer clock, and the promise about
    answering in the service declaration that covers its unit."""
    notice = _("We aim to answer within %(days)d working days, by %(date)s at the latest.") % {
        "days": answer_days,
        "date": answer_by.isoformat(),
    }
    if promise is None:
        return notice
    promised = _("Our service declaration promises: %(promise)s") % {"promise": promise.text}
    return f"{notice} {promised}"


def created(case: Case) -> dict[str, Any]:
    """The answer to a POST: the case just filed (or found again by its token)."""
    promise = None if case.unit is None else answer_promise(case.unit)
    notice = "" if case.is_closed else _notice(case.answer_days, case.answer_by, promise)
    return {"service_request_id": case.reference, "service_notice": notice, "account_id": None}


def token(row: Row) -> dict[str, Any]:
    return {"service_request_id": row["reference"], "token": str(row["submission_token"])}


def _is_closed(row: Row) -> bool:
    return bool(row["status"] == Status.CLOSED)


def extended_status(row: Row) -> str:
    if _is_closed(row):
        outcome = row["outcome"]
        return CLOSED_STATUSES.get(Outcome(outcome), "CLOSED") if outcome else "CLOSED"
    if row["unit_id"] is None:
        return "FOR_TRIAGE"
    return OPEN_STATUSES.get(Status(row["status"]), "OPEN")


def status_notes(row: Row) -> str:
    """The outcome of a closed case; the staff's note on it (the reason nothing is done,
    the authority it went to) only once staff published the case."""
    outcome = row["outcome"]
    if not _is_closed(row) or not outcome:
        return ""
    label = str(OUTCOME_LABELS.get(outcome, outcome))
    note = row["outcome_note"]
    if row["is_published"] and outcome in OUTCOMES_WITH_PUBLIC_NOTE and note:
        return f"{label}: {note}"
    return label


def _public_coordinate(value: Decimal | None) -> float | None:
    return None if value is None else float(value.quantize(PUBLIC_PLACES))


def _updated(row: Row) -> datetime:
    if _is_closed(row) and row["closed_at"]:
        closed_at: datetime = row["closed_at"]
        return closed_at
    return max(filter(None, [row["last_public_at"], row["received_at"]]))


def _service_notice(row: Row, promises: Mapping[int, Commitment | None]) -> str:
    if _is_closed(row):
        return ""
    unit_id = row["unit_id"]
    promise = None if unit_id is None else promises[unit_id]
    return _notice(row["answer_days"], row["answer_by"], promise)


def request(
    row: Row, promises: Mapping[int, Commitment | None], *, extensions: bool = False
) -> dict[str, Any]:
    """A request from a row of `selectors.REQUEST_COLUMNS`, with `promises` by unit id."""
    has_category = row["category_id"] is not None
    place_based = has_category and row["category__needs_location"]
    published = row["is_published"]
    data: dict[str, Any] = {
        "service_request_id": row["reference"],
        "status": "closed" if _is_closed(row) else "open",
        "status_notes": status_notes(row),
        "service_name": _name(row, "category") if has_category else "",
        "service_code": str(row["category_id"]) if has_category else "",
        "description": row["public_summary"][:MAX_DESCRIPTION] if published else "",
        "agency_responsible": _name(row, "unit") if row["unit_id"] is not None else "",
        "service_notice": _service_notice(row, promises),
        "requested_datetime": w3c(row["received_at"]),
        "updated_datetime": w3c(_updated(row)),
        "expected_datetime": w3c(end_of_day(row["answer_by"])),
        "address": row["place"] if place_based and published else "",
        "address_id": "",
        "zipcode": "",
        "lat": _public_coordinate(row["latitude"]) if place_based else None,
        "long": _public_coordinate(row["longitude"]) if place_based else None,
        "media_url": "",
    }
    if extensions:
        data["extended_attributes"] = {
            "detailed_status": row["status"],
            "outcome": row["outcome"],
            "kind": row["kind"],
            "extended_status": extended_status(row),
        }
    return data


def _name(row: Row, relation: str) -> str:
    return in_current_language(row[f"{relation}__name_sv"], row[f"{relation}__name_en"])


def _update_status(event: CaseEvent) -> tuple[str, str]:
    """The extended status an event set, and a generic description of it: never the
    text staff wrote, which may be a reply with personal data in it."""
    if event.type == CaseEvent.Type.CLOSED:
        outcome = str(event.data.get("outcome", ""))
        if outcome in Outcome.values:
            label = Outcome(outcome).label
            return CLOSED_STATUSES[Outcome(outcome)], _("Closed: %(outcome)s.") % {"outcome": label}
        return "CLOSED", str(_("Closed."))
    if event.type == CaseEvent.Type.REOPENED:
        return "REOPEN", str(_("Reopened."))
    change = event.data.get("status")
    status = str(change.get("to", "")) if isinstance(change, dict) else ""
    if status in OPEN_STATUSES:
        return OPEN_STATUSES[Status(status)], str(UPDATE_TEXTS[Status(status)])
    return "OPEN", str(_("Status changed."))


def update(event: CaseEvent) -> dict[str, Any]:
    status, description = _update_status(event)
    return {
        "update_id": str(event.pk),
        "service_request_id": event.case.reference,
        "status": status,
        "updated_datetime": w3c(event.at),
        "description": description,
        "media_url": "",
    }
