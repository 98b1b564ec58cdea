from __future__ import annotations

from django.urls import path

from servicenav.cases.views import export, public, staff

app_name = "cases"
urlpatterns = [
    # The citizen's side, no login.
    path("synpunkter/ny/", public.submit, name="submit"),
    path("synpunkter/kvitto/", public.receipt, name="receipt"),
    path("synpunkter/folj/", public.follow, name="follow"),
    path("synpunkter/publicerade/", public.published, name="published"),
    path("synpunkter/<str:reference>/", public.case_page, name="public-case"),
    path("synpunkter/<str:reference>/svara/", public.message, name="public-message"),
    path("synpunkter/<str:reference>/ateroppna/", public.reopen, name="public-reopen"),
    # Staff.
    path("personal/arenden/", staff.inbox, name="inbox"),
    path("personal/arenden/ny/", staff.register, name="register"),
    path("personal/arenden/registerutdrag/", export.register_extract, name="register-extract"),
    path("personal/arenden/<int:pk>/", staff.case_detail, name="case"),
    path("personal/arenden/<int:pk>/bilagor/<str:token>/", staff.attachment, name="attachment"),
    path("personal/arenden/<int:pk>/<slug:action>/", staff.case_action, name="case-action"),
]
