from django.urls import path

from mognad.instrument import views

app_name = "instrument"
urlpatterns = [
    path("instrument/", views.preview, name="preview"),
]
