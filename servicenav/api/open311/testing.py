"""For the Open311 tests: factories for services and integrator keys, and readers that
parse responses with real parsers (ElementTree for XML, json for JSON)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree

from servicenav.api.services import api_key_create
from servicenav.cases.models import Category, CategoryAttribute

if TYPE_CHECKING:
    from collections.abc import Sequence

    from django.http import HttpResponse

    from servicenav.api.models import ApiKey
    from servicenav.organisation.models import Unit

XML_CONTENT_TYPE = "text/xml; charset=utf-8"
JSON_CONTENT_TYPE = "application/json; charset=utf-8"
XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>'


def make_service(
    *,
    unit: Unit,
    name: str = "Gropar i gatan",
    name_en: str = "Potholes",
    needs_location: bool = False,
    keywords: str = "",
    description: str = "",
    active: bool = True,
) -> Category:
    return Category.objects.create(
        unit=unit,
        name_sv=name,
        name_en=name_en,
        description_sv=description,
        description_en=f"{description} (en)" if description else "",
        keywords=keywords,
        needs_location=needs_location,
        active=active,
    )


def make_question(
    service: Category,
    *,
    code: str,
    datatype: str = CategoryAttribute.Datatype.STRING,
    required: bool = False,
    choices: Sequence[tuple[str, str]] = (),
    order: int = 0,
    question: str = "",
) -> CategoryAttribute:
    """A question; `choices` are (key, Swedish name) pairs, the English name gets "(en)"."""
    return CategoryAttribute.objects.create(
        category=service,
        code=code,
        datatype=datatype,
        required=required,
        question_sv=question or f"Fråga {code}",
        question_en=f"{question or code} (en)",
        values=[{"key": key, "name_sv": name, "name_en": f"{name} (en)"} for key, name in choices],
        order=order,
    )


def make_integrator_key(name: str = "Felanmälningsappen") -> tuple[ApiKey, str]:
    """A key for an e-service, and its clear text."""
    return api_key_create(name=name, by=None)


def parse_xml(response: HttpResponse) -> ElementTree.Element:
    return ElementTree.fromstring(response.content)  # noqa: S314  (our own output)


def parse_json(response: HttpResponse) -> Any:
    return json.loads(response.content.decode("utf-8"))


def element_dict(element: ElementTree.Element) -> dict[str, Any]:
    """An element's children by tag: text for leaves, nested dicts or lists below."""
    result: dict[str, Any] = {}
    for child in element:
        if len(child):
            tags = {grandchild.tag for grandchild in child}
            if len(tags) == 1 and len(child) > 0 and child.tag.endswith("s"):
                result[child.tag] = [
                    element_dict(item) if len(item) else (item.text or "") for item in child
                ]
            else:
                result[child.tag] = element_dict(child)
        else:
            result[child.tag] = child.text or ""
    return result


def listed(response: HttpResponse, fmt: str, root: str, tag: str) -> list[dict[str, Any]]:
    """The records of a list response (`root` of `tag`s), as dicts, in either format."""
    if fmt == "json":
        records = parse_json(response)
        return records if isinstance(records, list) else []
    document = parse_xml(response)
    if document.tag != root:
        return []
    return [element_dict(item) for item in document if item.tag == tag]


def errors(response: HttpResponse, fmt: str) -> list[tuple[int, str]]:
    """The (code, description) pairs of an error response, in either format."""
    if fmt == "json":
        return [(item["code"], item["description"]) for item in parse_json(response)]
    document = parse_xml(response)
    return [
        (int(item.findtext("code") or 0), item.findtext("description") or "")
        for item in document.iter("error")
    ]
