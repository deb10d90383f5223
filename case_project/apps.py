"""The project's own app config: registers its system checks."""

from django.apps import AppConfig


class CaseProjectConfig(AppConfig):
    name = "case_project"
    verbose_name = "Case"

    def ready(self) -> None:
        from case_project import checks, deploy_checks  # noqa: F401  (registers the checks)
        from case_project.heartbeat import connect_signals

        connect_signals()
