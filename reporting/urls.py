"""Staff-only reporting pages, mounted under /admin/reporting/."""

from django.contrib import admin
from django.urls import path

from reporting.admin import investigation_list_export
from reporting.dashboard import dashboard_view

app_name = "reporting"

urlpatterns = [
    path("dashboard/", admin.site.admin_view(dashboard_view), name="dashboard"),
    path("export/", admin.site.admin_view(investigation_list_export), name="investigation_export"),
]
