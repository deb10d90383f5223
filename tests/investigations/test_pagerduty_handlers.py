"""Pages through the outbox against the loopback PagerDuty: 202, 400, 429, 5xx, order."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from investigations import outbox, services
from investigations.effects import Effect
from investigations.models import Incident, Investigation, OutboxMessage
from investigations.outbox import outbox_deliver, outbox_retry, retry_delay
from investigations.pagerduty import client, handlers
from investigations.tasks import deliver_outbox_message_task
from tests import factories
from tests.conftest import wait_until
from tests.fakes.pagerduty import Reply
from tests.investigations.test_pagerduty_client import closed_port_url

pytestmark = pytest.mark.django_db


def outbox_row(investigation: Investigation, kind: str) -> OutboxMessage:
    return OutboxMessage.objects.get(investigation=investigation, kind=kind)


def incident_of(investigation: Investigation) -> Incident:
    return Incident.objects.get(investigation=investigation)


def escalated(**kwargs) -> tuple[Investigation, OutboxMessage]:
    investigation = factories.investigation_escalated(**kwargs)
    return investigation, outbox_row(investigation, Effect.PAGERDUTY_TRIGGER)


def notices(investigation: Investigation) -> list[OutboxMessage]:
    return list(
        OutboxMessage.objects.filter(
            investigation=investigation, kind=Effect.SLACK_PAGERDUTY_FAILED_NOTICE
        )
    )


def test_escalation_pages_once_and_marks_the_incident_triggered(fake_pagerduty):
    investigation, trigger = escalated(title="Checkout 502s", actor="U0ALICE001")
    assert incident_of(investigation).pagerduty_state == "pending"

    assert outbox_deliver(trigger.pk).status == "delivered"

    [event] = fake_pagerduty.accepted()
    assert event["event_action"] == "trigger"
    assert event["dedup_key"] == f"case/{investigation.public_id}"
    assert event["payload"]["summary"] == "Checkout 502s"
    assert event["payload"]["custom_details"]["commander"] == "U0ALICE001"
    assert event["payload"]["custom_details"]["channel_id"] == investigation.channel_id
    incident = incident_of(investigation)
    assert (incident.pagerduty_state, incident.pagerduty_error) == ("triggered", "")


def test_trigger_links_the_channel_url_the_slack_side_stored(fake_pagerduty):
    investigation, trigger = escalated()
    url = f"https://case-test.slack.com/archives/{investigation.channel_id}"
    Investigation.objects.filter(pk=investigation.pk).update(channel_url=url)
    outbox_deliver(trigger.pk)
    [event] = fake_pagerduty.accepted()
    assert event["links"] == [{"href": url, "text": f"Slack channel #{investigation.name}"}]


def test_severity_comes_from_the_setting(fake_pagerduty, settings):
    settings.PAGERDUTY_SEVERITY = "warning"
    _, trigger = escalated()
    outbox_deliver(trigger.pk)
    assert fake_pagerduty.accepted()[0]["payload"]["severity"] == "warning"


def test_bad_request_fails_for_good_visibly_and_is_not_retried(fake_pagerduty):
    fake_pagerduty.fail(400, body={"status": "invalid event", "message": "Event object is invalid"})
    investigation, trigger = escalated()

    assert outbox_deliver(trigger.pk).status == "failed"
    assert outbox_deliver(trigger.pk).status == "skipped"

    assert fake_pagerduty.statuses() == [400]
    reason = "PagerDuty answered 400: invalid event: Event object is invalid"
    trigger.refresh_from_db()
    assert (trigger.status, trigger.attempts, trigger.last_error) == ("failed", 1, reason)
    incident = incident_of(investigation)
    assert (incident.pagerduty_state, incident.pagerduty_error) == ("failed", reason)
    [notice] = notices(investigation)
    assert notice.payload == {"action": "trigger", "reason": reason}
    assert notice.ordering_key == f"channel:{investigation.public_id}"
    assert notice.status == "pending"


def test_rate_limit_waits_exactly_the_retry_after(fake_pagerduty):
    fake_pagerduty.fail(429, headers={"Retry-After": "7"})
    investigation, trigger = escalated()
    before = timezone.now()

    outcome = outbox_deliver(trigger.pk)

    assert (outcome.status, outcome.retry_in) == ("retry", 7.0)
    trigger.refresh_from_db()
    assert trigger.next_attempt_at >= before + timedelta(seconds=7)
    assert trigger.last_error.startswith("PagerDuty answered 429")
    assert incident_of(investigation).pagerduty_state == "pending"
    assert outbox_deliver(trigger.pk).status == "delivered"
    assert fake_pagerduty.statuses() == [429, 202]


def test_rate_limit_without_retry_after_uses_the_backoff(fake_pagerduty):
    fake_pagerduty.fail(429)
    _, trigger = escalated()
    assert outbox_deliver(trigger.pk).retry_in == 2.0


def test_server_errors_back_off_then_the_page_goes_out_once(fake_pagerduty):
    fake_pagerduty.fail(500, times=2)
    fake_pagerduty.fail(503)
    investigation, trigger = escalated()

    delays = [outbox_deliver(trigger.pk).retry_in for _ in range(3)]

    assert delays == [2.0, 4.0, 8.0]
    assert incident_of(investigation).pagerduty_state == "pending"
    assert outbox_deliver(trigger.pk).status == "delivered"
    assert fake_pagerduty.statuses() == [500, 500, 503, 202]
    assert len(fake_pagerduty.accepted()) == 1
    assert incident_of(investigation).pagerduty_state == "triggered"


def test_unreachable_pagerduty_is_retried(fake_pagerduty, settings):
    settings.PAGERDUTY_EVENTS_URL = closed_port_url()
    _, trigger = escalated()
    assert outbox_deliver(trigger.pk).status == "retry"
    trigger.refresh_from_db()
    assert trigger.last_error.startswith("PagerDuty could not be reached")


def test_a_timeout_is_retried(fake_pagerduty, monkeypatch):
    monkeypatch.setattr(client, "TIMEOUT_SECONDS", 0.2)
    fake_pagerduty.script(Reply(202, delay=1.0))
    _, trigger = escalated()
    assert outbox_deliver(trigger.pk).status == "retry"
    trigger.refresh_from_db()
    assert trigger.last_error == "PagerDuty did not answer in time"


def test_wrong_key_or_url_answers_are_permanent(fake_pagerduty):
    fake_pagerduty.fail(404)
    investigation, trigger = escalated()
    assert outbox_deliver(trigger.pk).status == "failed"
    assert incident_of(investigation).pagerduty_state == "failed"


def test_giving_up_after_the_last_try_marks_failed_and_notifies(fake_pagerduty):
    fake_pagerduty.fail(502)
    investigation, trigger = escalated()
    OutboxMessage.objects.filter(pk=trigger.pk).update(attempts=handlers.MAX_ATTEMPTS - 1)

    assert outbox_deliver(trigger.pk).status == "failed"

    trigger.refresh_from_db()
    assert trigger.last_error.startswith(f"gave up after {handlers.MAX_ATTEMPTS} tries: ")
    incident = incident_of(investigation)
    assert incident.pagerduty_state == "failed"
    assert incident.pagerduty_error == trigger.last_error
    assert [n.payload["action"] for n in notices(investigation)] == ["trigger"]


def test_retries_last_about_half_an_hour_never_more_than_30s_apart():
    gaps = [retry_delay(attempt) for attempt in range(1, handlers.MAX_ATTEMPTS)]
    assert max(gaps) == 30.0
    assert 29 * 60 < sum(gaps) <= 30 * 60


def test_paging_is_off_without_a_routing_key(settings):
    settings.PAGERDUTY_ROUTING_KEY = ""
    investigation = factories.investigation_resolved()
    assert incident_of(investigation).pagerduty_state == "disabled"
    assert not OutboxMessage.objects.filter(kind__startswith="pagerduty.").exists()


def test_a_key_removed_before_delivery_fails_with_the_reason(fake_pagerduty, settings):
    investigation, trigger = escalated()
    settings.PAGERDUTY_ROUTING_KEY = ""
    assert outbox_deliver(trigger.pk).status == "failed"
    assert "PAGERDUTY_ROUTING_KEY is empty" in incident_of(investigation).pagerduty_error
    assert fake_pagerduty.received == []


def test_resolve_sends_the_same_dedup_key(fake_pagerduty):
    investigation, trigger = escalated()
    outbox_deliver(trigger.pk)
    services.incident_resolve(investigation_id=investigation.pk, actor="U0ALICE001")

    assert outbox_deliver(outbox_row(investigation, Effect.PAGERDUTY_RESOLVE).pk).status == (
        "delivered"
    )

    trigger_event, resolve_event = fake_pagerduty.accepted()
    assert resolve_event == {
        "routing_key": trigger_event["routing_key"],
        "event_action": "resolve",
        "dedup_key": trigger_event["dedup_key"],
    }
    assert incident_of(investigation).pagerduty_state == "resolved"


def test_a_resolve_waits_for_its_pending_trigger(fake_pagerduty):
    fake_pagerduty.fail(500)
    investigation, trigger = escalated()
    assert outbox_deliver(trigger.pk).status == "retry"  # PagerDuty is down
    services.incident_resolve(investigation_id=investigation.pk, actor="U0ALICE001")
    resolve = outbox_row(investigation, Effect.PAGERDUTY_RESOLVE)

    # The resolve's turn comes first (a sweep, a faster worker): it waits.
    waited = outbox_deliver(resolve.pk)
    assert (waited.status, waited.retry_in) == ("retry", 2.0)
    assert [e["event_action"] for e in fake_pagerduty.events] == ["trigger"]
    resolve.refresh_from_db()
    assert (resolve.status, resolve.attempts) == ("pending", 0)

    assert outbox_deliver(trigger.pk).status == "delivered"
    assert outbox_deliver(resolve.pk).status == "delivered"
    assert [e["event_action"] for e in fake_pagerduty.accepted()] == ["trigger", "resolve"]
    assert incident_of(investigation).pagerduty_state == "resolved"


def test_a_failed_resolve_asks_for_a_resolve_by_hand(fake_pagerduty):
    investigation, trigger = escalated()
    outbox_deliver(trigger.pk)
    services.incident_resolve(investigation_id=investigation.pk, actor="U0ALICE001")
    fake_pagerduty.fail(400)

    assert outbox_deliver(outbox_row(investigation, Effect.PAGERDUTY_RESOLVE).pk).status == "failed"

    [notice] = notices(investigation)
    assert notice.payload["action"] == "resolve"
    assert incident_of(investigation).pagerduty_state == "failed"


def test_no_resolve_is_sent_for_a_page_that_never_went_out(fake_pagerduty):
    fake_pagerduty.fail(400)
    investigation, trigger = escalated()
    outbox_deliver(trigger.pk)
    services.incident_resolve(investigation_id=investigation.pk, actor="U0ALICE001")

    assert outbox_deliver(outbox_row(investigation, Effect.PAGERDUTY_RESOLVE).pk).status == (
        "delivered"
    )

    assert fake_pagerduty.statuses() == [400]
    incident = incident_of(investigation)
    assert incident.pagerduty_state == "failed"
    assert incident.pagerduty_error.startswith("PagerDuty answered 400")


def test_retrying_a_failed_page_after_the_incident_ended_pages_nobody(
    fake_pagerduty, django_capture_on_commit_callbacks
):
    fake_pagerduty.fail(400)
    investigation, trigger = escalated()
    outbox_deliver(trigger.pk)
    services.incident_resolve(investigation_id=investigation.pk, actor="U0ALICE001")
    outbox_deliver(outbox_row(investigation, Effect.PAGERDUTY_RESOLVE).pk)

    with django_capture_on_commit_callbacks(execute=True):
        outbox_retry(message_id=trigger.pk)  # an operator, in the admin

    trigger.refresh_from_db()
    assert trigger.status == "delivered"
    assert fake_pagerduty.statuses() == [400]


def test_an_operators_retry_of_a_failed_page_pages(
    fake_pagerduty, django_capture_on_commit_callbacks
):
    fake_pagerduty.fail(400)
    investigation, trigger = escalated()
    outbox_deliver(trigger.pk)

    with django_capture_on_commit_callbacks(execute=True):
        outbox_retry(message_id=trigger.pk)

    assert fake_pagerduty.statuses() == [400, 202]
    incident = incident_of(investigation)
    assert (incident.pagerduty_state, incident.pagerduty_error) == ("triggered", "")


def test_a_transfer_sends_nothing_to_pagerduty(fake_pagerduty):
    investigation, trigger = escalated(actor="U0ALICE001")
    outbox_deliver(trigger.pk)
    services.incident_transfer(
        investigation_id=investigation.pk, actor="U0ALICE001", new_commander="U0BOB00001"
    )
    kinds = OutboxMessage.objects.filter(investigation=investigation).values_list("kind", flat=True)
    assert [kind for kind in kinds if kind.startswith("pagerduty.")] == ["pagerduty.trigger"]
    assert len(fake_pagerduty.received) == 1


def test_the_task_run_twice_pages_once(fake_pagerduty):
    investigation, trigger = escalated()
    assert deliver_outbox_message_task.apply(args=[trigger.pk]).get() == "delivered"
    assert deliver_outbox_message_task.apply(args=[trigger.pk]).get() == "skipped"
    assert len(fake_pagerduty.received) == 1
    assert incident_of(investigation).pagerduty_state == "triggered"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_delivering_at_once_page_once(fake_pagerduty, fake_slack, monkeypatch):
    # Hand nothing over on commit: the two deliveries below are the only ones.
    monkeypatch.setattr(outbox, "outbox_dispatch", lambda message_id: True)
    # The first POST is slow, so the second delivery overlaps it.
    fake_pagerduty.script(Reply(202, delay=0.5))
    with transaction.atomic():
        investigation, trigger = escalated()
    outcomes: list[str] = []

    def deliver() -> None:
        outcomes.append(outbox_deliver(trigger.pk).status)

    def deliver_in_a_thread() -> None:
        try:
            deliver()
        finally:
            connection.close()  # the thread's own connection

    first = threading.Thread(target=deliver_in_a_thread)
    first.start()
    assert wait_until(lambda: len(fake_pagerduty.received) == 1, timeout=5, interval=0.01)
    deliver()
    first.join()

    assert outcomes == ["skipped", "delivered"]
    assert len(fake_pagerduty.received) == 1
    assert incident_of(investigation).pagerduty_state == "triggered"
