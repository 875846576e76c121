from django.urls import path

from mognad.privacy.views import lifecycle, notices

app_name = "privacy"
urlpatterns = [
    path("cookies/", notices.cookies, name="cookies"),
    path("diagnostics/", notices.report, name="report"),
    path("privacy/", notices.notices, name="notices"),
    path("privacy/respondents/", notices.respondents_notice, name="respondents"),
    path("privacy/administrators/", notices.administrators_notice, name="administrators"),
    path("accessibility/", notices.accessibility, name="accessibility"),
    path("privacy/diagnostics/", notices.diagnostics_overview, name="diagnostics"),
    path("privacy/settings/", notices.settings_edit, name="settings"),
    # The data lifecycle: offboarding and data-subject requests (offboarding.py, subjects.py).
    path("orgs/<slug:slug>/offboard/", lifecycle.offboard, name="offboard"),
    path("orgs/<slug:slug>/data-subject/", lifecycle.data_subject, name="data_subject"),
    path(
        "orgs/<slug:slug>/data-subject/export/",
        lifecycle.data_subject_export,
        name="data_subject_export",
    ),
    path(
        "orgs/<slug:slug>/data-subject/erase/",
        lifecycle.data_subject_erase,
        name="data_subject_erase",
    ),
    path("data-subject/", lifecycle.data_subject, name="data_subject_all"),
    path("data-subject/export/", lifecycle.data_subject_export, name="data_subject_all_export"),
    path("data-subject/erase/", lifecycle.data_subject_erase, name="data_subject_all_erase"),
]
