"""Open311 GeoReport v2 at /open311/v2/: every resource ends in .xml or .json."""

from __future__ import annotations

from django.urls import re_path

from servicenav.api.open311 import views

app_name = "open311"

FORMAT = r"\.(?P<fmt>[^./]+)$"

urlpatterns = [
    re_path(rf"^discovery{FORMAT}", views.discovery, name="discovery"),
    re_path(rf"^services{FORMAT}", views.services, name="services"),
    re_path(rf"^services/(?P<code>[^/]+?){FORMAT}", views.service_definition, name="service"),
    re_path(rf"^requests{FORMAT}", views.service_requests, name="requests"),
    re_path(rf"^requests/(?P<reference>[^/]+?){FORMAT}", views.service_request, name="request"),
    re_path(rf"^tokens/(?P<token>[^/]+?){FORMAT}", views.token, name="token"),
    re_path(rf"^servicerequestupdates{FORMAT}", views.updates, name="updates"),
    # Anything else under /open311/v2/ answers in the specification's error format.
    re_path(r"^", views.not_found, name="not-found"),
]
