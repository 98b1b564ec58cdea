"""GeoReport v2's two formats from one structure.

A response is a root name and its content: a dict (an object), or `Items` (a list). XML
names every element, so a list's values are each wrapped in the list's `tag`; JSON follows
the "Spark convention" the specification uses, where the root name disappears and a list
is a top-level array. XML is built with ElementTree, never by joining strings.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree

from django.http import HttpResponse
from django.utils.functional import Promise

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

XML = "xml"
JSON = "json"
CONTENT_TYPES = {
    XML: "text/xml; charset=utf-8",
    JSON: "application/json; charset=utf-8",
}
XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'
# Characters XML 1.0 cannot carry even escaped; they are dropped from XML output.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class Items:
    """A list: in XML each value becomes an element named `tag`; in JSON, an array."""

    tag: str
    values: Sequence[Any]


def _fill(element: ElementTree.Element, value: Any) -> None:
    if isinstance(value, Items):
        for item in value.values:
            _fill(ElementTree.SubElement(element, value.tag), item)
    elif isinstance(value, dict):
        for name, child in value.items():
            _fill(ElementTree.SubElement(element, name), child)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = NOT_XML.sub("", str(value))


def xml_document(root: str, content: Any) -> bytes:
    element = ElementTree.Element(root)
    _fill(element, content)
    return XML_DECLARATION + ElementTree.tostring(element, encoding="unicode").encode()


def _plain(value: Any) -> Any:
    """What `json` cannot write itself; called by the encoder only for those values, so
    the plain dicts, strings and numbers of a long list are not walked twice."""
    if isinstance(value, Items):
        return list(value.values)
    if isinstance(value, Promise):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def json_document(content: Any) -> bytes:
    return json.dumps(content, ensure_ascii=False, default=_plain).encode()


def respond(fmt: str, root: str, content: Any, *, status: int = 200) -> HttpResponse:
    body = xml_document(root, content) if fmt == XML else json_document(content)
    return HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])


def format_of(path: str) -> str:
    """The format an address that may not match a resource asks for: JSON when it ends in
    `.json`, else XML (the specification's default)."""
    return JSON if path.endswith(".json") else XML


def error_response(fmt: str, status: int, descriptions: Iterable[str | Promise]) -> HttpResponse:
    """The specification's error list; several errors may be reported at once."""
    errors = [{"code": status, "description": str(text)} for text in descriptions]
    return respond(fmt, "errors", Items("error", errors), status=status)


class Open311Error(Exception):
    """Stops a request with an error response in the requested format."""

    def __init__(self, status: int, *descriptions: str | Promise) -> None:
        super().__init__(*descriptions)
        self.status = status
        self.descriptions = list(descriptions)
