"""URLs. Swedish pages live at the root, English ones under /en/."""

from __future__ import annotations

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from servicenav.core.forms import QueuedPasswordResetForm

account_patterns = [
    path("logga-in/", auth_views.LoginView.as_view(), name="login"),
    path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "losenord/aterstall/",
        auth_views.PasswordResetView.as_view(form_class=QueuedPasswordResetForm),
        name="password_reset",
    ),
    path(
        "losenord/aterstall/skickat/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "losenord/aterstall/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "losenord/aterstall/klart/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("losenord/byt/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "losenord/byt/klart/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
]

urlpatterns = [
    path("", include("servicenav.api.urls")),
    # Open-data files: the same address in every language.
    path("", include("servicenav.public.data_urls")),
    *i18n_patterns(
        path("", include("servicenav.core.urls")),
        path("", include("servicenav.cases.urls")),
        path("", include("servicenav.declarations.urls")),
        path("", include("servicenav.surveys.urls")),
        path("", include("servicenav.kpis.urls")),
        path("", include("servicenav.improvement.urls")),
        path("", include("servicenav.public.urls")),
        path("", include("servicenav.network.urls")),
        path("personal/", include("servicenav.organisation.urls")),
        path("konto/", include(account_patterns)),
        path("admin/", admin.site.urls),
        prefix_default_language=False,
    ),
]

# A database that cannot be reached is a 503 to try again, not a 500 (servicenav.errors).
handler500 = "servicenav.errors.server_error"
