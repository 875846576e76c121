from django.urls import include, path
from django.views.i18n import set_language

from mognad import views

# Each app's urls.py carries its own path prefixes, so adding pages never touches this file.
urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("healthz", views.healthz, name="healthz"),
    path("healthz/worker", views.healthz_worker, name="healthz_worker"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("", include("mognad.orgs.urls")),
    path("", include("mognad.sso.urls")),
    path("", include("mognad.privacy.urls")),
    path("", include("mognad.instrument.urls")),
    path("", include("mognad.surveys.urls")),
    path("", include("mognad.results.urls")),
    path("", include("mognad.plans.urls")),
    path("", include("mognad.national.urls")),
    path("", include("mognad.examples.urls")),
    path("", include("mognad.api.urls")),
]

handler400 = "mognad.views.bad_request"
handler403 = "mognad.views.permission_denied"
handler404 = "mognad.views.page_not_found"
handler500 = "mognad.views.server_error"
