from django.apps import AppConfig


class InstrumentConfig(AppConfig):
    name = "mognad.instrument"
    label = "instrument"
    default_auto_field = "django.db.models.BigAutoField"
