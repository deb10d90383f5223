"""URL routes: the admin, health, and (from slack_integration) /slack/events."""

from django.contrib import admin
from django.urls import include, path

from case_project.health import healthz
from case_project.metrics import metrics

urlpatterns = [
    path("admin/reporting/", include("reporting.urls")),  # staff-only, before the admin's catch-all
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("metrics", metrics, name="metrics"),
    path("", include("slack_integration.urls")),
    # The local sandbox (404 unless `manage.py case_sandbox` runs this process).
    path("sandbox/", include("slack_integration.sandbox.urls")),
]
