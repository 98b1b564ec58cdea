"""What each Open311 response says, as plain structures for `render`.

A request shows only what the public may know about a case: its reference, service,
unit, status and times. Never the reporter's name, e-mail or phone, never their text or
their answers: the description is the staff-written public summary of a published case.
The place is shown only as far as it concerns public space: coordinates of services that
need a place, rounded to about 100 metres, and the address only of published cases of
such services.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from servicenav.api.open311.attributes import DESCRIPTIONS, choices
from servicenav.api.open311.dates import end_of_day, w3c
from servicenav.api.open311.render import Items
from servicenav.cases.models import CaseEvent, Outcome, Status
from servicenav.declarations.selectors import answer_promise

if TYPE_CHECKING:
    from collections.abc import Mapping

    from servicenav.cases.models import Case, Category
    from servicenav.declarations.models import Commitment

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# When the discovery document last changed (with this implementation).
CHANGESET = "2026-11-27T00:00:00Z"
FORMATS = ["text/xml", "application/json"]
MAX_DESCRIPTION = 4000
PUBLIC_PLACES = Decimal("0.001")  # about 110 m north–south, 50 m east–west up here
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


def service_notice(case: Case, promises: Mapping[int, Commitment | None] | None = None) -> str:
    """The expected handling time, from the case's answer clock, and the promise about
    answering in the service declaration that covers the case's unit (from `promises`, by
    unit id, when a list has read them all at once)."""
    if case.is_closed:
        return ""
    notice = _("We aim to answer within %(days)d working days, by %(date)s at the latest.") % {
        "days": case.answer_days,
        "date": case.answer_by.isoformat(),
    }
    if case.unit is None:
        return notice
    promise = promises[case.unit.pk] if promises is not None else answer_promise(case.unit)
    if promise is None:
        return notice
    promised = _("Our service declaration promises: %(promise)s") % {"promise": promise.text}
    return f"{notice} {promised}"


def created(case: Case) -> dict[str, Any]:
    return {
        "service_request_id": case.reference,
        "service_notice": service_notice(case),
        "account_id": None,
    }


def token(case: Case) -> dict[str, Any]:
    return {"service_request_id": case.reference, "token": str(case.submission_token)}


def extended_status(case: Case) -> str:
    if case.is_closed:
        return CLOSED_STATUSES.get(Outcome(case.outcome), "CLOSED") if case.outcome else "CLOSED"
    if case.unit_id is None:
        return "FOR_TRIAGE"
    return OPEN_STATUSES.get(Status(case.status), "OPEN")


def status_notes(case: Case) -> str:
    """The outcome of a closed case; the staff's note on it (the reason nothing is done,
    the authority it went to) only once staff published the case."""
    if not case.is_closed or not case.outcome:
        return ""
    outcome = str(case.get_outcome_display())
    if case.is_published and case.outcome in OUTCOMES_WITH_PUBLIC_NOTE and case.outcome_note:
        return f"{outcome}: {case.outcome_note}"
    return outcome


def _public_coordinate(value: Decimal | None) -> float | None:
    return None if value is None else float(value.quantize(PUBLIC_PLACES))


def _updated(case: Case) -> datetime:
    if case.is_closed and case.closed_at:
        return case.closed_at
    last_public: datetime | None = getattr(case, "last_public_at", None)
    return max(filter(None, [last_public, case.received_at]))


def request(
    case: Case,
    *,
    extensions: bool = False,
    promises: Mapping[int, Commitment | None] | None = None,
) -> dict[str, Any]:
    category = case.category
    place_based = category is not None and category.needs_location
    data: dict[str, Any] = {
        "service_request_id": case.reference,
        "status": "closed" if case.is_closed else "open",
        "status_notes": status_notes(case),
        "service_name": category.name if category else "",
        "service_code": str(category.pk) if category else "",
        "description": case.public_summary[:MAX_DESCRIPTION] if case.is_published else "",
        "agency_responsible": case.unit.name if case.unit else "",
        "service_notice": service_notice(case, promises),
        "requested_datetime": w3c(case.received_at),
        "updated_datetime": w3c(_updated(case)),
        "expected_datetime": w3c(end_of_day(case.answer_by)),
        "address": case.place if place_based and case.is_published else "",
        "address_id": "",
        "zipcode": "",
        "lat": _public_coordinate(case.latitude) if place_based else None,
        "long": _public_coordinate(case.longitude) if place_based else None,
        "media_url": "",
    }
    if extensions:
        data["extended_attributes"] = {
            "detailed_status": case.status,
            "outcome": case.outcome,
            "kind": case.kind,
            "extended_status": extended_status(case),
        }
    return data


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
