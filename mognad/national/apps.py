from django.apps import AppConfig


class NationalConfig(AppConfig):
    name = "mognad.national"
    label = "national"
    default_auto_field = "django.db.models.BigAutoField"
