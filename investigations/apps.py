"""App config for the investigation domain."""

from django.apps import AppConfig


class InvestigationsConfig(AppConfig):
    name = "investigations"
    verbose_name = "Investigations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from investigations import outbox_test_handlers  # noqa: F401  (registers handlers)
        from investigations.pagerduty import checks, handlers  # noqa: F401  (registers them)
