from django.urls import path

from mognad.privacy import views

app_name = "privacy"
urlpatterns = [
    path("cookies/", views.cookies, name="cookies"),
    path("diagnostics/", views.report, name="report"),
    path("privacy/", views.notices, name="notices"),
    path("privacy/respondents/", views.respondents_notice, name="respondents"),
    path("privacy/administrators/", views.administrators_notice, name="administrators"),
    path("privacy/diagnostics/", views.diagnostics_overview, name="diagnostics"),
    path("privacy/settings/", views.settings_edit, name="settings"),
]
