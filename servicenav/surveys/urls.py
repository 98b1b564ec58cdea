from __future__ import annotations

from django.urls import path

from servicenav.surveys.views import analysis, public, staff

app_name = "surveys"
urlpatterns = [
    # Respondents, no login.
    path("enkater/kod/", public.enter_code, name="code"),
    path("enkater/<str:token>/", public.answer, name="answer"),
    path("enkater/<str:token>/tack/", public.thanks, name="thanks"),
    # Staff.
    path("personal/enkater/", staff.survey_list, name="staff-list"),
    path("personal/enkater/fokusgrupper/", staff.focus_groups, name="focus-groups"),
    path("personal/enkater/<int:pk>/", staff.survey_detail, name="staff-survey"),
    path("personal/enkater/omgang/<int:pk>/", staff.round_detail, name="staff-round"),
    path("personal/enkater/omgang/<int:pk>/analys/", analysis.round_analysis, name="analysis"),
    path(
        "personal/enkater/omgang/<int:pk>/analys.<str:fmt>",
        analysis.round_analysis_export,
        name="analysis-export",
    ),
    path(
        "personal/enkater/omgang/<int:pk>/inbjudningar/",
        staff.invitations,
        name="invitations",
    ),
    path("personal/enkater/omgang/<int:pk>/papper/", staff.paper_entry, name="paper"),
    path("personal/enkater/omgang/<int:pk>/fritext/", staff.free_texts, name="free-texts"),
    path(
        "personal/enkater/omgang/<int:pk>/export.<str:fmt>",
        staff.export,
        name="export",
    ),
]
