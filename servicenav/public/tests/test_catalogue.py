"""The DCAT-AP-SE catalogue: it parses (rdflib) as JSON-LD and as RDF/XML into the same
graph, names the municipality as publisher, and lists every dataset with what Sveriges
dataportal needs, each distribution's download URL answering with its media type."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic

from servicenav.organisation.services import unit_update
from servicenav.public.opendata import DATASETS

pytestmark = pytest.mark.django_db
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
EU = "http://publications.europa.eu/resource/authority/"


def parsed(client, url: str, fmt: str, **headers) -> Graph:
    response = client.get(url, **headers)
    assert response.status_code == 200
    return Graph().parse(data=response.content, format=fmt)


def one(graph: Graph, subject, predicate):
    values = list(graph.objects(subject, predicate))
    assert len(values) == 1, (subject, predicate, values)
    return values[0]


def texts(graph: Graph, subject, predicate) -> dict[str | None, str]:
    return {
        value.language: str(value)
        for value in graph.objects(subject, predicate)
        if isinstance(value, Literal)
    }


def test_json_ld_and_rdf_xml_say_the_same(client, world):
    as_json_ld = parsed(client, "/oppna-data/katalog.jsonld", "json-ld")
    as_rdf_xml = parsed(client, "/oppna-data/katalog.rdf", "xml")

    assert len(as_json_ld) > 100
    assert isomorphic(as_json_ld, as_rdf_xml)


def test_the_catalogue_is_published_by_the_municipality_under_the_licence(client, world, settings):
    settings.SERVICENAV_OPEN_DATA_LICENCE = "https://example.org/licens/1.0/"
    unit_update(unit=world.tree.kommun, by=None, contact_email="oppnadata@kommun.example")
    graph = parsed(client, "/oppna-data/katalog.jsonld", "json-ld")

    [catalog] = graph.subjects(RDF.type, DCAT.Catalog)
    assert str(catalog) == settings.SERVICENAV_SITE_URL + "/oppna-data/katalog"
    assert set(texts(graph, catalog, DCTERMS.title)) == {"sv", "en"}
    assert set(texts(graph, catalog, DCTERMS.description)) == {"sv", "en"}
    assert one(graph, catalog, DCTERMS.license) == URIRef("https://example.org/licens/1.0/")
    publisher = one(graph, catalog, DCTERMS.publisher)
    assert one(graph, publisher, FOAF.name) == Literal("Kommun", lang="sv")
    assert (publisher, RDF.type, FOAF.Agent) in graph
    datasets = set(graph.objects(catalog, DCAT.dataset))
    assert len(datasets) == len(DATASETS)
    for dataset in datasets:
        assert one(graph, dataset, DCTERMS.publisher) == publisher
        contact = one(graph, dataset, DCAT.contactPoint)
        assert one(graph, contact, VCARD.hasEmail) == URIRef("mailto:oppnadata@kommun.example")
        assert one(graph, contact, VCARD.fn) == Literal("Kommun", lang="sv")


def test_every_dataset_is_described_and_downloadable(client, world, settings):
    graph = parsed(client, "/oppna-data/katalog.rdf", "xml")

    datasets = set(graph.subjects(RDF.type, DCAT.Dataset))
    assert {str(dataset).rsplit("#", 1)[1] for dataset in datasets} == {
        dataset.slug for dataset in DATASETS
    }
    for dataset in datasets:
        assert set(texts(graph, dataset, DCTERMS.title)) == {"sv", "en"}
        assert set(texts(graph, dataset, DCTERMS.description)) == {"sv", "en"}
        assert list(graph.objects(dataset, DCAT.keyword))
        assert one(graph, dataset, DCAT.theme) == URIRef(EU + "data-theme/GOVE")
        assert one(graph, dataset, DCTERMS.accessRights) == URIRef(EU + "access-right/PUBLIC")
        assert str(one(graph, dataset, DCTERMS.accrualPeriodicity)).startswith(EU + "frequency/")
        temporal = one(graph, dataset, DCTERMS.temporal)
        assert one(graph, temporal, DCAT.startDate) <= one(graph, temporal, DCAT.endDate)
        distributions = list(graph.objects(dataset, DCAT.distribution))
        media_types = set()
        for distribution in distributions:
            url = str(one(graph, distribution, DCAT.downloadURL))
            assert url == str(one(graph, distribution, DCAT.accessURL))
            assert url.startswith(settings.SERVICENAV_SITE_URL + "/oppna-data/")
            media_type = str(one(graph, distribution, DCAT.mediaType)).rsplit("/", 2)[-2:]
            media_types.add("/".join(media_type))
            assert one(graph, distribution, DCTERMS.license) == URIRef(
                settings.SERVICENAV_OPEN_DATA_LICENCE
            )
            assert str(one(graph, distribution, DCTERMS["format"])).startswith(EU + "file-type/")
            response = client.get(url.removeprefix(settings.SERVICENAV_SITE_URL))
            assert response.status_code == 200, url
            assert response["Content-Type"].split(";")[0] == "/".join(media_type)
        assert media_types == {"text/csv", "application/json"}


def test_a_dataset_without_data_has_no_time_span(client, tree):
    graph = parsed(client, "/oppna-data/katalog.jsonld", "json-ld")
    for dataset in graph.subjects(RDF.type, DCAT.Dataset):
        assert not list(graph.objects(dataset, DCTERMS.temporal))
        assert len(list(graph.objects(dataset, DCAT.distribution))) == 2


@pytest.mark.parametrize(
    ("accept", "content_type", "fmt"),
    [
        ("application/rdf+xml", "application/rdf+xml", "xml"),
        ("application/ld+json", "application/ld+json", "json-ld"),
        ("text/html,application/xml;q=0.9", "application/rdf+xml", "xml"),
        ("*/*", "application/ld+json", "json-ld"),
        ("", "application/ld+json", "json-ld"),
    ],
)
def test_the_catalogue_address_gives_what_the_harvester_asks_for(
    client, tree, accept, content_type, fmt
):
    response = client.get("/oppna-data/katalog", HTTP_ACCEPT=accept)

    assert response.status_code == 200
    assert response["Content-Type"].split(";")[0] == content_type
    assert "Accept" in [part.strip() for part in response["Vary"].split(",")]
    assert len(Graph().parse(data=response.content, format=fmt)) > 10


def test_the_catalogue_is_the_same_in_every_language(client, world):
    swedish = client.get("/oppna-data/katalog.rdf", HTTP_ACCEPT_LANGUAGE="sv")
    english = client.get("/oppna-data/katalog.rdf", HTTP_ACCEPT_LANGUAGE="en")
    assert swedish.content == english.content
    assert b"/en/" not in english.content
