"""`incident_pagerduty_status`: the page's real delivery state, for `/case status`."""

import pytest

from investigations import services
from investigations.effects import Effect
from investigations.models import OutboxMessage
from investigations.outbox import outbox_deliver
from investigations.selectors import PagerDutyStatus, incident_pagerduty_status
from tests import factories

pytestmark = pytest.mark.django_db


def deliver(investigation, kind: str) -> str:
    message = OutboxMessage.objects.get(investigation=investigation, kind=kind)
    return outbox_deliver(message.pk).status


def test_an_investigation_never_escalated_has_no_page():
    assert incident_pagerduty_status(investigation=factories.investigation_opened()) is None


def test_paging_off_reads_not_configured(settings):
    settings.PAGERDUTY_ROUTING_KEY = ""
    status = incident_pagerduty_status(investigation=factories.investigation_escalated())
    assert status == PagerDutyStatus(state="disabled", label="Not configured")


def test_a_page_being_retried_shows_what_pagerduty_last_said(fake_pagerduty):
    fake_pagerduty.fail(503)
    investigation = factories.investigation_escalated()
    deliver(investigation, Effect.PAGERDUTY_TRIGGER)

    status = incident_pagerduty_status(investigation=investigation)

    trigger = OutboxMessage.objects.get(investigation=investigation, kind=Effect.PAGERDUTY_TRIGGER)
    assert status == PagerDutyStatus(
        state="pending",
        label="Pending",
        reason="PagerDuty answered 503: error: scripted 503",
        sending="trigger",
        attempts=1,
        next_attempt_at=trigger.next_attempt_at,
    )


def test_a_delivered_page_reads_triggered(fake_pagerduty):
    investigation = factories.investigation_escalated()
    deliver(investigation, Effect.PAGERDUTY_TRIGGER)
    assert incident_pagerduty_status(investigation=investigation) == PagerDutyStatus(
        state="triggered", label="Triggered"
    )


def test_a_queued_resolve_is_shown_on_its_way(fake_pagerduty):
    investigation = factories.investigation_escalated()
    deliver(investigation, Effect.PAGERDUTY_TRIGGER)
    services.incident_resolve(investigation_id=investigation.pk, actor="U0ALICE001")
    status = incident_pagerduty_status(investigation=investigation)
    assert (status.state, status.sending, status.attempts) == ("triggered", "resolve", 0)
    deliver(investigation, Effect.PAGERDUTY_RESOLVE)
    assert incident_pagerduty_status(investigation=investigation).state == "resolved"


def test_a_failed_page_gives_the_reason(fake_pagerduty):
    fake_pagerduty.fail(400, body={"status": "invalid event", "message": "bad"})
    investigation = factories.investigation_escalated()
    deliver(investigation, Effect.PAGERDUTY_TRIGGER)
    assert incident_pagerduty_status(investigation=investigation) == PagerDutyStatus(
        state="failed", label="Failed", reason="PagerDuty answered 400: invalid event: bad"
    )
