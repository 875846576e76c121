from django.urls import path

from mognad.plans import views

app_name = "plans"
urlpatterns = [
    path("orgs/<slug:slug>/plan/", views.plan, name="plan"),
    path("orgs/<slug:slug>/plan/<int:year>/", views.year, name="year"),
    path("orgs/<slug:slug>/plan/<int:year>/create/", views.create, name="create"),
    path("orgs/<slug:slug>/plan/<int:year>/actions/new/", views.add, name="add"),
    path("orgs/<slug:slug>/plan/<int:year>/export.csv", views.export_csv, name="export_csv"),
    path("orgs/<slug:slug>/plan/<int:year>/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("orgs/<slug:slug>/plan/actions/<int:action_id>/", views.edit, name="edit"),
    path("orgs/<slug:slug>/plan/actions/<int:action_id>/status/", views.status, name="status"),
    path("orgs/<slug:slug>/plan/actions/<int:action_id>/delete/", views.delete, name="delete"),
]
