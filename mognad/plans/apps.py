from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "mognad.plans"
    label = "plans"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Action plans"

    def ready(self) -> None:
        from mognad.plans import queries, report
        from mognad.results import extensions

        extensions.add_planned_capabilities(queries.planned_capabilities)
        extensions.add_report_section(report.section)
