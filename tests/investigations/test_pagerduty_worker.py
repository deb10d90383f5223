"""End to end: a real Celery worker on Redis pages the loopback PagerDuty through faults."""

import itertools
import time

import pytest

from investigations import services
from investigations.effects import Effect
from investigations.models import Incident, Investigation, OutboxMessage
from investigations.outbox import outbox_sweep
from tests.conftest import celery_use_broker, wait_until
from tests.slack_integration.cases import block_text, case_opened_in_slack, posts_in

pytestmark = [
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]


def pagerduty_state(investigation: Investigation) -> str:
    return Incident.objects.get(investigation=investigation).pagerduty_state


def trigger_row(investigation: Investigation) -> OutboxMessage:
    return OutboxMessage.objects.get(investigation=investigation, kind=Effect.PAGERDUTY_TRIGGER)


def test_a_page_refused_three_times_is_delivered_once_within_a_minute(
    fake_pagerduty, fake_slack, celery_worker_process
):
    fake_pagerduty.fail(500, times=3)
    investigation = case_opened_in_slack(fake_slack)
    escalated_at = time.monotonic()

    services.investigation_escalate(investigation_id=investigation.pk, actor="U0ALICE001")

    assert wait_until(lambda: pagerduty_state(investigation) == "triggered", timeout=60)
    assert time.monotonic() - escalated_at < 60
    assert fake_pagerduty.statuses() == [500, 500, 500, 202]
    # The worker waited about 2 s, 4 s, 8 s between tries: backoff, not a loop.
    arrivals = [received.at for received in fake_pagerduty.received]
    gaps = [later - earlier for earlier, later in itertools.pairwise(arrivals)]
    for gap, countdown in zip(gaps, [2, 4, 8], strict=True):
        assert countdown - 0.5 < gap < countdown + 1.5, gaps
    row = trigger_row(investigation)
    assert (row.status, row.attempts) == ("delivered", 4)
    time.sleep(1.0)  # nothing else is on its way
    assert len(fake_pagerduty.received) == 4


def test_a_refused_page_fails_visibly_and_is_not_retried(
    fake_pagerduty, fake_slack, celery_worker_process
):
    fake_pagerduty.fail(400, body={"status": "invalid event", "message": "Event object is invalid"})
    investigation = case_opened_in_slack(fake_slack)

    services.investigation_escalate(investigation_id=investigation.pk, actor="U0ALICE001")

    assert wait_until(lambda: pagerduty_state(investigation) == "failed", timeout=20)
    reason = "PagerDuty answered 400: invalid event: Event object is invalid"
    assert Incident.objects.get(investigation=investigation).pagerduty_error == reason
    assert wait_until(
        lambda: any(
            "Page the on-call responder by hand" in block_text(post)
            for post in posts_in(fake_slack, investigation.channel_id)
        ),
        timeout=20,
    )
    time.sleep(2.5)  # past the first retry's countdown: none comes
    assert fake_pagerduty.statuses() == [400]
    row = trigger_row(investigation)
    assert (row.status, row.attempts, row.last_error) == ("failed", 1, reason)


def test_a_broker_outage_at_escalation_keeps_it_fast_and_the_sweeper_pages(
    fake_pagerduty, fake_slack, celery_worker_process
):
    investigation = case_opened_in_slack(fake_slack)
    # The broker vanishes at the moment of the change: nothing listens on port 9.
    celery_use_broker("redis://127.0.0.1:9/0")
    started = time.monotonic()

    services.investigation_escalate(investigation_id=investigation.pk, actor="U0ALICE001")

    assert time.monotonic() - started < 3.0
    assert trigger_row(investigation).status == "pending"
    assert fake_pagerduty.received == []

    # The broker is back; the sweeper re-sends, the worker pages.
    celery_use_broker(celery_worker_process.broker_url)
    assert outbox_sweep(grace_seconds=0) >= 1
    assert wait_until(lambda: pagerduty_state(investigation) == "triggered", timeout=20)
    assert [e["event_action"] for e in fake_pagerduty.accepted()] == ["trigger"]
