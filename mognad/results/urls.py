from django.urls import path

app_name = "results"
urlpatterns: list = []
