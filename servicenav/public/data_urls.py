"""The open-data files, the data dictionary and the catalogue: stable addresses outside
the language prefixes, the same whatever language the site is read in (documented in
docs/open-data.md; harvesters and scripts depend on them)."""

from __future__ import annotations

from django.urls import path, re_path

from servicenav.public.views import opendata

app_name = "opendata"
urlpatterns = [
    path("oppna-data/ordlista.json", opendata.data_dictionary, name="dictionary"),
    path("oppna-data/katalog", opendata.catalogue, name="catalogue"),
    path(
        "oppna-data/katalog.jsonld", opendata.catalogue, {"fmt": "jsonld"}, name="catalogue-jsonld"
    ),
    path("oppna-data/katalog.rdf", opendata.catalogue, {"fmt": "rdf"}, name="catalogue-rdf"),
    re_path(
        r"^oppna-data/(?P<slug>[a-z-]+)\.(?P<fmt>csv|json)$", opendata.dataset_file, name="file"
    ),
]
