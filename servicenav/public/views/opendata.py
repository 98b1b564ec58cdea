"""Open data: the files, the data dictionary and the DCAT-AP-SE catalogue, at addresses
outside the language prefixes so that they never change with the language of the site, and
the page that describes them all (in Swedish and English).

Every file carries its licence: JSON in its `license` field, CSV (which has no place for
it) in the HTTP header `Link: <licence>; rel="license"`, and both in the catalogue."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from servicenav.public import dcat
from servicenav.public.opendata import BY_SLUG, DATASETS, FORMATS
from servicenav.public.opendata.dictionary import dictionary, file_path, minimums
from servicenav.public.opendata.files import render_file

if TYPE_CHECKING:
    from django.http import HttpRequest

JSON_LD = "application/ld+json"
RDF_XML = "application/rdf+xml"


def _open(response: HttpResponse) -> HttpResponse:
    """Headers every open-data response has: the licence, and any site may read it."""
    response["Link"] = f'<{settings.SERVICENAV_OPEN_DATA_LICENCE}>; rel="license"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _json(document: dict[str, Any], content_type: str = "application/json") -> HttpResponse:
    body = json.dumps(document, ensure_ascii=False, indent=1)
    return _open(HttpResponse(body, content_type=f"{content_type}; charset=utf-8"))


@require_safe
def dataset_file(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    dataset = BY_SLUG.get(slug)
    if dataset is None or fmt not in FORMATS:
        raise Http404
    response = HttpResponse(render_file(dataset, fmt), content_type=FORMATS[fmt])
    if fmt == "csv":
        response["Content-Disposition"] = f'attachment; filename="{dataset.slug}.csv"'
    return _open(response)


@require_safe
def data_dictionary(request: HttpRequest) -> HttpResponse:
    with translation.override(settings.LANGUAGE_CODE):
        return _json(dictionary())


@require_safe
def catalogue(request: HttpRequest, fmt: str = "") -> HttpResponse:
    """JSON-LD (`katalog.jsonld`), RDF/XML (`katalog.rdf`), or either by the Accept header
    (`katalog`): RDF/XML when asked for before JSON-LD, JSON-LD otherwise."""
    negotiated = not fmt
    if negotiated:
        fmt = "rdf" if _prefers_rdf_xml(request.headers.get("Accept", "")) else "jsonld"
    graph = dcat.catalogue()
    if fmt == "rdf":
        response = _open(
            HttpResponse(dcat.to_rdfxml(graph), content_type=f"{RDF_XML}; charset=utf-8")
        )
    else:
        response = _json(dcat.to_jsonld(graph), JSON_LD)
    if negotiated:
        patch_vary_headers(response, ["Accept"])
    return response


def _prefers_rdf_xml(accept: str) -> bool:
    """A plain reading of the Accept header: the first of the two types it names wins."""
    media = [part.split(";")[0].strip().lower() for part in accept.split(",")]
    for name in media:
        if name in (RDF_XML, "application/xml", "text/xml"):
            return True
        if name in (JSON_LD, "application/json"):
            return False
    return False


@require_safe
def open_data(request: HttpRequest) -> HttpResponse:
    """The page about the open data: every dataset, its files and its columns."""
    datasets = [
        {
            "dataset": dataset,
            "files": [(fmt.upper(), file_path(dataset, fmt)) for fmt in FORMATS],
        }
        for dataset in DATASETS
    ]
    context = {
        "datasets": datasets,
        "licence": settings.SERVICENAV_OPEN_DATA_LICENCE,
        "minimum": minimums(),
    }
    return render(request, "public/open_data.html", context)
