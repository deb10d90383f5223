"""CSV downloads in the admin: the action, the filtered list, staff only."""

import csv
import io

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.urls import reverse

from investigations.models import Investigation
from reporting.admin import export_selected_as_csv
from reporting.csv_export import HEADER
from tests.reporting.history import case, hours

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:investigations_investigation_changelist"


@pytest.fixture
def staff_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("ops", "ops@example.com", "pw"))
    return client


def rows(response) -> list[dict[str, str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="case-export-')
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith(",".join(HEADER) + "\r\n")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_the_action_is_on_the_investigation_admin(staff_client):
    assert export_selected_as_csv in admin.site.get_model_admin(Investigation).actions
    case(opened=hours(1))
    body = staff_client.get(reverse(CHANGELIST)).content.decode()
    assert "Export selected as CSV" in body
    assert "Export filtered list as CSV" in body


def test_action_exports_the_selected_investigations(staff_client):
    chosen = case(opened=hours(3), title="chosen")
    case(opened=hours(2), title="left out")
    response = staff_client.post(
        reverse(CHANGELIST),
        {"action": "export_selected_as_csv", "_selected_action": [chosen.pk]},
    )
    assert [row["Title"] for row in rows(response)] == ["chosen"]


def test_action_with_select_across_exports_everything_filtered(staff_client):
    one = case(opened=hours(3), title="one", closed=hours(1))
    case(opened=hours(2), title="two", closed=hours(1))
    case(opened=hours(1), title="open")
    # As the browser sends it: the ticked page, plus "select all N".
    response = staff_client.post(
        reverse(CHANGELIST) + "?status__exact=closed",
        {"action": "export_selected_as_csv", "_selected_action": [one.pk], "select_across": "1"},
    )
    assert sorted(row["Title"] for row in rows(response)) == ["one", "two"]


def test_filtered_list_export_follows_the_changelist_query(staff_client):
    case(opened=hours(3), title="Checkout down", closed=hours(1))
    case(opened=hours(2), title="Checkout slow")
    case(opened=hours(1), title="Disk full", closed=hours(0.5))
    url = reverse("reporting:investigation_export")
    assert len(rows(staff_client.get(url))) == 3
    assert [r["Title"] for r in rows(staff_client.get(url, {"q": "checkout"}))] == [
        "Checkout slow", "Checkout down",
    ]
    filtered = staff_client.get(url, {"q": "checkout", "status__exact": "closed"})
    assert [r["Title"] for r in rows(filtered)] == ["Checkout down"]


def test_filtered_list_export_link_carries_the_query(staff_client):
    case(opened=hours(1))
    body = staff_client.get(reverse(CHANGELIST), {"status__exact": "closed"}).content.decode()
    assert reverse("reporting:investigation_export") + "?status__exact=closed" in body


def test_a_bad_filter_goes_back_to_the_changelist_with_its_error(staff_client):
    response = staff_client.get(reverse("reporting:investigation_export"), {"opened_at__gte": "x"})
    assert response.status_code == 302
    assert response["Location"] == reverse(CHANGELIST) + "?e=1"


@pytest.mark.parametrize("name", ["reporting:investigation_export", "reporting:dashboard"])
def test_reporting_pages_are_staff_only(client, django_user_model, name):
    url = reverse(name)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    client.force_login(django_user_model.objects.create_user("someone", password="pw"))
    assert client.get(url).status_code == 302  # not staff: the admin login again
    staff = django_user_model.objects.create_user("staff", password="pw", is_staff=True)
    client.force_login(staff)
    assert client.get(url).status_code == 403  # staff, but may not view investigations
    staff.user_permissions.add(Permission.objects.get(codename="view_investigation"))
    assert client.get(url).status_code == 200


def test_action_needs_view_permission(client, django_user_model):
    user = django_user_model.objects.create_user("staff", password="pw", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_investigation"))
    client.force_login(user)
    case(opened=hours(1))
    assert "Export selected as CSV" in client.get(reverse(CHANGELIST)).content.decode()


def test_admin_index_links_to_the_dashboard(staff_client):
    body = staff_client.get(reverse("admin:index")).content.decode()
    assert reverse("reporting:dashboard") in body
    assert "Metrics dashboard" in body
