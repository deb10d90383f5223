"""The project's own app config: registers its system checks."""

from django.apps import AppConfig


class CaseProjectConfig(AppConfig):
    name = "case_project"
    verbose_name = "Case"

    def ready(self) -> None:
        from case_project import checks  # noqa: F401  (registers the checks)
