from django.urls import path, register_converter

from mognad.surveys.views import (
    answering,
    measurements,
    outbox,
    respondents,
    roster,
    steps,
    year,
)


class LinkKind:
    """ "r" for a personal link, "o" for an open link."""

    regex = "[ro]"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(LinkKind, "linkkind")

app_name = "surveys"
urlpatterns = [
    # Respondents (no account): personal links /r/<token>/ and open links /o/<token>/.
    path("<linkkind:kind>/<str:token>/", answering.intro, name="intro"),
    path("<linkkind:kind>/<str:token>/<int:number>/", answering.page, name="page"),
    path("<linkkind:kind>/<str:token>/summary/", answering.summary, name="summary"),
    path("<linkkind:kind>/<str:token>/thanks/", answering.thanks, name="thanks"),
    path("<linkkind:kind>/<str:token>/resume/<str:code>/", answering.resume, name="resume"),
    # Key users, unit admins and viewers.
    path("start/", year.start, name="start"),
    path("orgs/<slug:slug>/year/", year.year, name="year"),
    path("orgs/<slug:slug>/measurements/", measurements.measurement_list, name="list"),
    path("measurements/<int:pk>/", measurements.detail, name="detail"),
    path("measurements/<int:pk>/settings/", measurements.edit_settings, name="settings"),
    path("measurements/<int:pk>/open/", steps.open_measurement, name="open"),
    path("measurements/<int:pk>/close/", steps.close_measurement, name="close"),
    path("measurements/<int:pk>/invite/", steps.send_invitations, name="invite"),
    path("measurements/<int:pk>/remind/", steps.send_reminders, name="remind"),
    path("measurements/<int:pk>/windows/", measurements.windows, name="windows"),
    path("measurements/<int:pk>/preview/", measurements.preview, name="preview"),
    path("measurements/<int:pk>/preview/email/", measurements.preview_email, name="preview_email"),
    path("measurements/<int:pk>/respondents/", respondents.respondent_list, name="respondents"),
    path(
        "measurements/<int:pk>/respondents/<int:respondent_pk>/remove/",
        respondents.remove,
        name="remove_respondent",
    ),
    path("measurements/<int:pk>/respondents/import/", respondents.import_file, name="import"),
    path(
        "measurements/<int:pk>/respondents/export/<str:kind>/",
        roster.export,
        name="export_respondents",
    ),
    path(
        "measurements/<int:pk>/respondents/<int:respondent_pk>/left/",
        roster.mark_left,
        name="mark_left",
    ),
    # The emails Mognad queued: coordinators, and key users in debug mode.
    path("outbox/", outbox.outbox, name="outbox"),
]
