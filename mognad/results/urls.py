from django.urls import path

from mognad.results import views

app_name = "results"
urlpatterns = [
    path("orgs/<slug:slug>/results/", views.overview, name="overview"),
    path("orgs/<slug:slug>/results/categories/", views.categories, name="categories"),
    path("orgs/<slug:slug>/results/internal/", views.internal, name="internal"),
    path("orgs/<slug:slug>/results/all/", views.all_organizations, name="all_organizations"),
    path("orgs/<slug:slug>/results/over-time/", views.over_time, name="over_time"),
    path("orgs/<slug:slug>/results/suggestions/", views.suggestions, name="suggestions"),
    path("orgs/<slug:slug>/results/export.csv", views.export_csv, name="export_csv"),
    path("orgs/<slug:slug>/results/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("orgs/<slug:slug>/results/report.pdf", views.report_pdf, name="report_pdf"),
]
