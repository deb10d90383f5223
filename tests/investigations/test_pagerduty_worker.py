"""End to end: a real Celery worker on Redis pages the loopback PagerDuty through faults."""

import itertools
import signal
import subprocess
import time
from pathlib import Path

import pytest
from django.db import OperationalError, transaction

from investigations import services
from investigations.effects import Effect
from investigations.models import Incident, Investigation, OutboxMessage
from investigations.outbox import outbox_sweep
from tests.conftest import (
    ROOT,
    WORKER_SETTINGS,
    _wait_for_worker,
    _worker_env,
    celery_use_broker,
    wait_until,
)
from tests.fakes.pagerduty import Reply
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


def start_another_worker(like: subprocess.Popen, settings, log: Path) -> subprocess.Popen:
    """A second worker process, as the first was started (same broker and settings)."""
    extra = {name: str(getattr(settings, name, "")) for name in WORKER_SETTINGS}
    with log.open("wb") as out:
        worker = subprocess.Popen(  # noqa: S603  (the fixture's own command line)
            like.args, cwd=ROOT, env=_worker_env(like.broker_url, extra), stdout=out,
            stderr=subprocess.STDOUT,
        )
    _wait_for_worker(worker, log)
    return worker


def row_is_locked(row: OutboxMessage) -> bool:
    try:
        with transaction.atomic():
            OutboxMessage.objects.select_for_update(nowait=True).get(pk=row.pk)
    except OperationalError:
        return True
    return False


def test_a_worker_killed_mid_page_loses_nothing_and_the_sweeper_hands_it_on(
    fake_pagerduty, fake_slack, celery_worker_process, settings
):
    # PagerDuty takes the event but its answer is slow: the worker dies waiting.
    fake_pagerduty.script(Reply(202, delay=3.0))
    investigation = case_opened_in_slack(fake_slack)
    services.investigation_escalate(investigation_id=investigation.pk, actor="U0ALICE001")
    assert wait_until(lambda: len(fake_pagerduty.received) == 1, timeout=20)

    celery_worker_process.send_signal(signal.SIGKILL)
    celery_worker_process.wait(timeout=10)

    # Its transaction died with it: the row is pending again, unlocked, the try uncounted.
    row = trigger_row(investigation)
    assert wait_until(lambda: not row_is_locked(row), timeout=10)
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("pending", 0)
    assert pagerduty_state(investigation) == "pending"

    log = ROOT / "artifacts" / f"celery-worker-{settings.DATABASES['default']['NAME']}-2.log"
    second = start_another_worker(celery_worker_process, settings, log)
    try:
        assert outbox_sweep(grace_seconds=0) >= 1
        assert wait_until(lambda: pagerduty_state(investigation) == "triggered", timeout=30)
    finally:
        second.terminate()
        second.wait(timeout=10)
    # The repeat is harmless: the same dedup key, so PagerDuty keeps one alert.
    sent = [event["dedup_key"] for event in fake_pagerduty.accepted("trigger")]
    assert sent == [sent[0], sent[0]]
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("delivered", 1)
