"""App config for reporting: wires its admin extras once the admin is loaded."""

from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = "Reporting"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # django.contrib.admin's ready() (earlier in INSTALLED_APPS) has
        # imported every admin module by now, so the Investigation admin is
        # registered. Adding the action here keeps `investigations` free of
        # imports from `reporting`.
        from django.contrib import admin

        from reporting.admin import extend_investigation_admin

        extend_investigation_admin(admin.site)
        if admin.site.index_template is None:
            admin.site.index_template = "reporting/admin_index.html"
