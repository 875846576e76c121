from django.urls import include, path
from django.views.i18n import set_language

from mognad import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("accounts/", include("mognad.orgs.urls")),
    path("instrument/", include("mognad.instrument.urls")),
]

handler400 = "mognad.views.bad_request"
handler403 = "mognad.views.permission_denied"
handler404 = "mognad.views.page_not_found"
handler500 = "mognad.views.server_error"
