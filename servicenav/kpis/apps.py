from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KpisConfig(AppConfig):
    name = "servicenav.kpis"
    verbose_name = _("Key performance indicators")
