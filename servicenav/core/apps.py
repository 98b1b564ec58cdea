from __future__ import annotations

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "servicenav.core"
    verbose_name = _("Core")


class ServicenavAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with a site that lets unit administrators in (see admin_site)."""

    default = False
    default_site = "servicenav.core.admin_site.ServicenavAdminSite"
