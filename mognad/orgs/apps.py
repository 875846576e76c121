from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "mognad.orgs"
    label = "orgs"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Connects the login signal that starts a session's clocks (SessionLimitsMiddleware).
        from mognad.orgs import middleware  # noqa: F401
