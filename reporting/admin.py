"""CSV downloads in the admin: an action on investigations and the filtered list.

Both stream through `reporting.csv_export`, the exporter the command uses.
`extend_investigation_admin` adds the action to the Investigation admin from
`ReportingConfig.ready()`, because `investigations` must not import
`reporting` (the dependency points the other way).
"""

from datetime import UTC, datetime

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.urls import reverse

from investigations.models import Investigation
from reporting.csv_export import csv_lines, export_filename, export_rows


def csv_response(queryset: QuerySet[Investigation]) -> StreamingHttpResponse:
    """A download of `queryset` as CSV, written while it is read."""
    now = datetime.now(tz=UTC)
    response = StreamingHttpResponse(
        csv_lines(export_rows(queryset, now=now)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{export_filename(now)}"'
    return response


@admin.action(description="Export selected as CSV", permissions=["view"])
def export_selected_as_csv(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Investigation]
) -> StreamingHttpResponse:
    """Download the ticked investigations (or all that match, with "select all")."""
    return csv_response(queryset)


def investigation_list_export(request: HttpRequest) -> HttpResponse:
    """Download every investigation the changelist shows for this query string.

    The changelist itself reads the filters, search and date drill-down, so
    the file holds exactly the rows on screen, across all pages.
    """
    model_admin = admin.site.get_model_admin(Investigation)
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    try:
        changelist = model_admin.get_changelist_instance(request)
    except IncorrectLookupParameters:
        # What the changelist itself does with a bad filter in the URL.
        return HttpResponseRedirect(
            reverse("admin:investigations_investigation_changelist") + "?e=1"
        )
    return csv_response(changelist.get_queryset(request))


def extend_investigation_admin(site: admin.AdminSite) -> None:
    """Add the CSV action to the registered Investigation admin, once."""
    if not site.is_registered(Investigation):
        return
    model_admin = site.get_model_admin(Investigation)
    actions = list(model_admin.actions or [])
    if export_selected_as_csv not in actions:
        model_admin.actions = [*actions, export_selected_as_csv]
