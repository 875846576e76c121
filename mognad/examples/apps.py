from django.apps import AppConfig


class ExamplesConfig(AppConfig):
    name = "mognad.examples"
    label = "examples"
    default_auto_field = "django.db.models.BigAutoField"
