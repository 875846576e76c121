from django.urls import path

from mognad.national import views

app_name = "national"
urlpatterns = [
    path("national/", views.overview, name="overview"),
    path("national/report/", views.report_page, name="report"),
]
