from django.urls import path

app_name = "national"
urlpatterns: list = []
