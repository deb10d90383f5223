"""URL routes: the admin, health, and (from slack_integration) /slack/events."""

from django.contrib import admin
from django.urls import include, path

from case_project.health import healthz

urlpatterns = [
    path("admin/reporting/", include("reporting.urls")),  # staff-only, before the admin's catch-all
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("", include("slack_integration.urls")),
]
