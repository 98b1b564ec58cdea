"""The DCAT-AP-SE catalogue of the open datasets, for Sveriges dataportal to harvest.

The catalogue is built once as a small graph of nodes (`Node`: an IRI or a blank node,
its types and its properties), then written out two ways from that one graph: JSON-LD
(a plain dict with its own context, no remote context to fetch) and RDF/XML (with the
standard library's ElementTree: no RDF library at run time). Both say the same triples;
the tests parse both with rdflib and compare the graphs.

What it says, per DCAT-AP-SE: a `dcat:Catalog` published by the municipality (the top
unit), titled and described in Swedish and English, with its licence; for each dataset its
title, description, keywords, publisher, contact point, theme (GOVE, government and public
sector), access rights (public), the time it covers (`dct:temporal`), how often it changes
(`dct:accrualPeriodicity`), its landing page and two distributions, CSV and JSON, each
with an absolute download URL, format, media type and licence.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from servicenav.organisation.models import Unit
from servicenav.public.opendata import DATASETS, FORMATS
from servicenav.public.opendata.base import Dataset, in_both_languages
from servicenav.public.opendata.dictionary import file_url
from servicenav.public.publisher import absolute, municipality, municipality_name

NAMESPACES = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
EU = "http://publications.europa.eu/resource/authority/"
THEME_GOVERNMENT = EU + "data-theme/GOVE"
ACCESS_PUBLIC = EU + "access-right/PUBLIC"
LANGUAGES = (EU + "language/SWE", EU + "language/ENG")
FILE_TYPES = {"csv": EU + "file-type/CSV", "json": EU + "file-type/JSON"}
IANA = "https://www.iana.org/assignments/media-types/"
PUBLISHER_TYPE = "http://purl.org/adms/publishertype/LocalAuthority"

CATALOGUE_TITLE = _("Open data of %(municipality)s")
CATALOGUE_DESCRIPTION = _(
    "The figures %(municipality)s publishes on how its services are doing: feedback "
    "statistics, key performance indicators, the follow-up of its service declarations and "
    "the results of its surveys. No personal data."
)


# --- A tiny RDF graph --------------------------------------------------------------------


@dataclass(frozen=True)
class Ref:
    """A link to a resource by its IRI."""

    iri: str


@dataclass(frozen=True)
class Text:
    """A literal: with a language, or with a datatype (a prefixed name), or plain."""

    value: str
    language: str | None = None
    datatype: str | None = None


@dataclass
class Node:
    """A resource described here: `iri` None makes it a blank node."""

    iri: str | None
    types: tuple[str, ...]
    properties: list[tuple[str, Ref | Text | Node]] = field(default_factory=list)

    def add(self, name: str, *values: Ref | Text | Node) -> Node:
        self.properties.extend((name, value) for value in values)
        return self


def expand(name: str) -> str:
    prefix, _colon, local = name.partition(":")
    return NAMESPACES[prefix] + local


def both_languages(text: Promise, **values: str) -> list[Text]:
    texts = in_both_languages(text)
    return [Text(texts[lang] % values if values else texts[lang], lang) for lang in ("sv", "en")]


# --- Writing it out ------------------------------------------------------------------------


def _jsonld_value(value: Ref | Text | Node) -> dict[str, Any]:
    if isinstance(value, Ref):
        return {"@id": value.iri}
    if isinstance(value, Node):
        return to_jsonld_node(value)
    if value.language:
        return {"@value": value.value, "@language": value.language}
    if value.datatype:
        return {"@value": value.value, "@type": value.datatype}
    return {"@value": value.value}


def to_jsonld_node(node: Node) -> dict[str, Any]:
    found: dict[str, Any] = {}
    if node.iri:
        found["@id"] = node.iri
    found["@type"] = list(node.types)
    for name, value in node.properties:
        found.setdefault(name, []).append(_jsonld_value(value))
    return found


def to_jsonld(node: Node) -> dict[str, Any]:
    return {"@context": dict(NAMESPACES)} | to_jsonld_node(node)


def _xml_node(parent: ET.Element, node: Node) -> None:
    element = ET.SubElement(parent, node.types[0] if node.types else "rdf:Description")
    if node.iri:
        element.set("rdf:about", node.iri)
    for extra in node.types[1:]:
        ET.SubElement(element, "rdf:type").set("rdf:resource", expand(extra))
    for name, value in node.properties:
        child = ET.SubElement(element, name)
        if isinstance(value, Ref):
            child.set("rdf:resource", value.iri)
        elif isinstance(value, Node):
            _xml_node(child, value)
        else:
            child.text = value.value
            if value.language:
                child.set("xml:lang", value.language)
            elif value.datatype:
                child.set("rdf:datatype", expand(value.datatype))


def to_rdfxml(node: Node) -> bytes:
    root = ET.Element("rdf:RDF", {f"xmlns:{prefix}": iri for prefix, iri in NAMESPACES.items()})
    _xml_node(root, node)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


# --- The catalogue ---------------------------------------------------------------------------


def catalogue_url() -> str:
    return absolute(reverse("opendata:catalogue"))


def _publisher(top: Unit | None) -> Node:
    return (
        Node(catalogue_url() + "#publisher", ("foaf:Agent",))
        .add("foaf:name", Text(municipality_name(top), "sv"))
        .add("dct:type", Ref(PUBLISHER_TYPE))
    )


def _contact(top: Unit | None) -> Node:
    contact = Node(None, ("vcard:Organization",)).add(
        "vcard:fn", Text(municipality_name(top), "sv")
    )
    if top and top.contact_email:
        contact.add("vcard:hasEmail", Ref("mailto:" + top.contact_email))
    return contact.add("vcard:hasURL", Ref(absolute(reverse("public:open-data"))))


def _temporal(span: tuple[date, date] | None) -> list[Node]:
    if span is None:
        return []
    return [
        Node(None, ("dct:PeriodOfTime",))
        .add("dcat:startDate", Text(span[0].isoformat(), datatype="xsd:date"))
        .add("dcat:endDate", Text(span[1].isoformat(), datatype="xsd:date"))
    ]


def _distribution(dataset: Dataset, fmt: str) -> Node:
    url = file_url(dataset, fmt)
    media_type = FORMATS[fmt].split(";")[0]
    title = in_both_languages(dataset.title)
    return (
        Node(f"{catalogue_url()}#{dataset.slug}-{fmt}", ("dcat:Distribution",))
        .add("dct:title", *(Text(f"{title[lang]} ({fmt.upper()})", lang) for lang in title))
        .add("dcat:accessURL", Ref(url))
        .add("dcat:downloadURL", Ref(url))
        .add("dct:format", Ref(FILE_TYPES[fmt]))
        .add("dcat:mediaType", Ref(IANA + media_type))
        .add("dct:license", Ref(settings.SERVICENAV_OPEN_DATA_LICENCE))
    )


def _dataset(dataset: Dataset, publisher: Node, contact: Node) -> Node:
    landing = absolute(reverse("public:open-data")) + f"#{dataset.slug}"
    keywords = [text for keyword in dataset.keywords for text in both_languages(keyword)]
    return (
        Node(f"{catalogue_url()}#{dataset.slug}", ("dcat:Dataset",))
        .add("dct:identifier", Text(f"{catalogue_url()}#{dataset.slug}"))
        .add("dct:title", *both_languages(dataset.title))
        .add("dct:description", *both_languages(dataset.description))
        .add("dcat:keyword", *keywords)
        .add("dct:publisher", Ref(publisher.iri or ""))
        .add("dcat:contactPoint", contact)
        .add("dcat:theme", Ref(THEME_GOVERNMENT))
        .add("dct:accessRights", Ref(ACCESS_PUBLIC))
        .add("dct:language", *(Ref(language) for language in LANGUAGES))
        .add("dct:temporal", *_temporal(dataset.temporal()))
        .add("dct:accrualPeriodicity", Ref(EU + "frequency/" + dataset.periodicity))
        .add("dcat:landingPage", Ref(landing))
        .add("dcat:distribution", *(_distribution(dataset, fmt) for fmt in FORMATS))
    )


def catalogue(datasets: Sequence[Dataset] = DATASETS) -> Node:
    """The catalogue of `datasets`, as a graph to write out; the same whatever language
    the request asked for (addresses of pages are the Swedish ones, without a prefix)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _catalogue(datasets)


def _catalogue(datasets: Sequence[Dataset]) -> Node:
    top = municipality()
    name = municipality_name(top)
    publisher = _publisher(top)
    contact = _contact(top)
    return (
        Node(catalogue_url(), ("dcat:Catalog",))
        .add("dct:title", *both_languages(CATALOGUE_TITLE, municipality=name))
        .add("dct:description", *both_languages(CATALOGUE_DESCRIPTION, municipality=name))
        .add("dct:publisher", publisher)
        .add("dct:license", Ref(settings.SERVICENAV_OPEN_DATA_LICENCE))
        .add("dct:language", *(Ref(language) for language in LANGUAGES))
        .add("foaf:homepage", Ref(absolute(reverse("public:open-data"))))
        .add("dcat:dataset", *(_dataset(dataset, publisher, contact) for dataset in datasets))
    )
