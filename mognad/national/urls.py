from django.urls import path

from mognad.national import views
from mognad.national.public import views as public
from mognad.national.publishing import views as publishing

app_name = "national"
urlpatterns = [
    # Public pages (no login): published releases only.
    path("figures/", public.figures, name="public_figures"),
    path("figures/organizations/", public.organizations, name="public_organizations"),
    path("method/", public.method, name="method"),
    path("method/scoring.md", public.method_scoring, name="method_scoring"),
    path("open-data/", public.open_data, name="open_data"),
    path("join/", public.join, name="join"),
    path("national/", views.overview, name="overview"),
    path("national/report/", views.report_page, name="report"),
    path("national/publishing/", publishing.index, name="publishing"),
    path("national/publishing/drafts/<int:pk>/", publishing.draft, name="publication_draft"),
    path(
        "national/publishing/drafts/<int:pk>/publish/",
        publishing.publish,
        name="publication_publish",
    ),
    path(
        "national/publishing/<int:year>/<int:version>/<str:name>",
        publishing.download,
        name="publication_download",
    ),
    path("orgs/<slug:slug>/publication/", publishing.review, name="publication_review"),
]
