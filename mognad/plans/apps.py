from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "mognad.plans"
    label = "plans"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Action plans"
