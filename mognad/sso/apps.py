from django.apps import AppConfig


class SsoConfig(AppConfig):
    name = "mognad.sso"
    label = "sso"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The login page asks for the e-mail first; a routed domain goes to its identity provider.
        from mognad.orgs import login_routing
        from mognad.sso import routing

        login_routing.register(routing.route)
