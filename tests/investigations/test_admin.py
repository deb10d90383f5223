"""Admin pages load for staff, and the audit trail cannot be edited there."""

import pytest
from django.urls import reverse

from investigations import outbox
from investigations.models import AuditEvent, Evidence, Incident, Investigation, OutboxMessage
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("ops", "ops@example.com", "pw")
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "model", ["investigation", "incident", "evidence", "auditevent", "outboxmessage"]
)
def test_changelists_load_with_filters_and_search(staff_client, model):
    factories.investigation_resolved()
    url = reverse(f"admin:investigations_{model}_changelist")
    assert staff_client.get(url).status_code == 200
    assert staff_client.get(url, {"q": "api"}).status_code == 200


def test_investigation_page_shows_incident_evidence_audit_and_outbox(staff_client):
    investigation = factories.investigation_resolved(title="Checkout (EU) down")
    factories.services.evidence_add(
        investigation_id=investigation.pk, actor="U4", source_channel_id="C9",
        message_ts="1.5", permalink="https://example.slack.com/archives/C9/p15",
    )
    response = staff_client.get(
        reverse("admin:investigations_investigation_change", args=[investigation.pk])
    )
    body = response.content.decode()
    assert response.status_code == 200
    for expected in ("Checkout (EU) down", "https://example.slack.com/archives/C9/p15",
                     "Escalated to incident", "slack.open_channel"):
        assert expected in body


def test_escalated_filter(staff_client):
    factories.investigation_escalated(title="escalated one")
    factories.investigation_opened(title="quiet one")
    url = reverse("admin:investigations_investigation_changelist")
    body = staff_client.get(url, {"escalated": "yes"}).content.decode()
    assert "escalated one" in body
    assert "quiet one" not in body


def test_nothing_that_would_break_the_audit_trail_is_deletable(staff_client):
    investigation = factories.investigation_opened()
    event = AuditEvent.objects.filter(investigation=investigation).first()
    delete_urls = [
        reverse("admin:investigations_investigation_delete", args=[investigation.pk]),
        reverse("admin:investigations_auditevent_delete", args=[event.pk]),
    ]
    for url in delete_urls:
        assert staff_client.post(url, {"post": "yes"}).status_code == 403
    assert Investigation.objects.filter(pk=investigation.pk).exists()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_failed_delivery_can_be_retried_from_the_admin(
    staff_client, monkeypatch, django_capture_on_commit_callbacks
):
    dispatched: list[int] = []
    monkeypatch.setattr(outbox, "outbox_dispatch", lambda message_id: dispatched.append(message_id))
    message = OutboxMessage.objects.create(
        kind="outbox.echo", idempotency_key="x", status="failed", last_error="boom"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("admin:investigations_outboxmessage_changelist"),
            {"action": "retry_deliveries", "_selected_action": [message.pk]},
        )
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.status == "pending"
    assert dispatched == [message.pk]  # handed to a worker once the retry committed


def test_non_staff_cannot_see_the_admin(client):
    response = client.get(reverse("admin:investigations_investigation_changelist"))
    assert response.status_code == 302



MODELS = {
    "investigation": Investigation, "incident": Incident, "evidence": Evidence,
    "auditevent": AuditEvent, "outboxmessage": OutboxMessage,
}


def _investigation_id(row) -> int:
    return row.pk if isinstance(row, Investigation) else row.investigation_id


def _found(staff_client, model: str, params: dict) -> list:
    response = staff_client.get(reverse(f"admin:investigations_{model}_changelist"), params)
    assert response.status_code == 200, (model, params)  # a bad lookup redirects to ?e=1
    return list(response.context["cl"].queryset)


@pytest.mark.parametrize("model", list(MODELS))
def test_every_model_is_searchable_by_name_title_channel_and_person(staff_client, model):
    cases = {}
    for n, (key, title) in enumerate((("WANTED", "Checkout latency"), ("OTHER0", "Search outage"))):
        cases[key] = factories.investigation_resolved(
            title=title, actor=f"U0{key}01", channel_id=f"C0{key}01"
        )
        factories.services.evidence_add(
            investigation_id=cases[key].pk, actor=f"U0{key}01", source_channel_id="C0SOURCE01",
            message_ts=f"{n}.5", permalink=f"https://example.slack.com/archives/C0SOURCE01/p{n}5",
        )
    wanted = cases["WANTED"]
    queries = [wanted.name, "Checkout latency", "C0WANTED01"]
    if model != "outboxmessage":  # outbox rows name no person
        queries.append("U0WANTED01")
    for query in queries:
        found = _found(staff_client, model, {"q": query})
        assert found, (model, query)
        assert {_investigation_id(row) for row in found} == {wanted.pk}, (model, query)


@pytest.mark.parametrize(
    ("model", "params", "count"),
    [("investigation", {"status__exact": "escalated"}, 1),
     ("investigation", {"escalated": "no"}, 1),
     ("investigation", {"opened_at__gte": "2000-01-01 00:00:00+00:00"}, 2),
     ("investigation", {"closed_at__isnull": "True"}, 2),
     ("incident", {"investigation__status__exact": "escalated"}, 1),
     ("incident", {"resolved_at__isnull": "False"}, 1),
     ("evidence", {"investigation__status__exact": "investigating"}, 0),
     ("auditevent", {"action__exact": "resolved"}, 1)],
)
def test_filters_by_status_dates_and_escalation(staff_client, model, params, count):
    factories.investigation_resolved()
    factories.investigation_opened(title="quiet one")
    assert len(_found(staff_client, model, params)) == count


@pytest.mark.parametrize("model", list(MODELS))
def test_no_row_of_the_audit_trail_can_be_deleted_in_the_admin(staff_client, model):
    investigation = factories.investigation_resolved()
    factories.services.evidence_add(
        investigation_id=investigation.pk, actor="U4", source_channel_id="C9",
        message_ts="1.5", permalink="https://example.slack.com/archives/C9/p15",
    )
    row = MODELS[model].objects.first()
    changelist = reverse(f"admin:investigations_{model}_changelist")
    delete = reverse(f"admin:investigations_{model}_delete", args=[row.pk])
    assert staff_client.post(delete, {"post": "yes"}).status_code == 403
    staff_client.post(changelist, {"action": "delete_selected", "_selected_action": [row.pk],
                                   "post": "yes"})
    assert MODELS[model].objects.filter(pk=row.pk).exists()
    assert "delete_selected" not in staff_client.get(changelist).content.decode()


@pytest.mark.parametrize("status", ["pending", "failed"])
def test_the_outbox_lists_pending_and_failed_deliveries_with_their_reason(staff_client, status):
    rows = {
        state: OutboxMessage.objects.create(
            kind="slack.archive_channel", idempotency_key=f"k-{state}", status=state,
            last_error=f"conversations.archive: {state}-reason",
        )
        for state in ("pending", "failed", "delivered")
    }
    url = reverse("admin:investigations_outboxmessage_changelist")
    assert _found(staff_client, "outboxmessage", {"status__exact": status}) == [rows[status]]
    body = staff_client.get(url, {"status__exact": status}).content.decode()
    assert f"conversations.archive: {status}-reason" in body
