"""The Slack handlers in a real Celery worker, through a real Redis broker."""

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress

import pytest

from investigations import services
from investigations.effects import Effect
from investigations.models import Incident, OutboxMessage
from investigations.outbox import outbox_dispatch, outbox_sweep
from tests.conftest import celery_use_broker, wait_until
from tests.slack_integration.cases import block_text, case_opened_in_slack, posts_in
from tests.slack_integration.conftest import reply_of, text_of


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_rate_limited_archive_is_archived_right_after_retry_after(
    fake_slack, celery_worker_process
):
    case = case_opened_in_slack(fake_slack)
    fake_slack.fail("conversations.archive", "ratelimited", status=429, retry_after=1)

    services.investigation_close(investigation_id=case.pk, actor="U0ALICE001")

    assert wait_until(lambda: fake_slack.channels[case.channel_id]["is_archived"], timeout=30)
    first, second = [c.at for c in fake_slack.calls if c.method == "conversations.archive"]
    # Retry-After honoured: not before the second, and right after it.
    assert 1.0 <= second - first < 3.0
    assert len(posts_in(fake_slack, case.channel_id)) == 1  # the summary, once
    summary_at = next(c.at for c in fake_slack.calls if c.method == "chat.postMessage")
    assert summary_at < first
    assert wait_until(
        lambda: not OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING).exists()
    )
    archive = OutboxMessage.objects.get(kind="slack.archive_channel")
    assert (archive.status, archive.attempts) == (OutboxMessage.Status.DELIVERED, 2)


@contextmanager
def hung_broker() -> Iterator[str]:
    """A loopback port that accepts connections and never answers: a hung Redis."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.1)
    stop = threading.Event()
    accepted: list[socket.socket] = []

    def accept() -> None:
        while not stop.is_set():
            with suppress(OSError):
                accepted.append(server.accept()[0])

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    finally:
        stop.set()
        thread.join(timeout=1)
        server.close()
        for connection in accepted:
            connection.close()


def escalation_posted(fake_slack, case) -> bool:
    return any("Escalated to an active incident" in block_text(post)
               for post in posts_in(fake_slack, case.channel_id))


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_case_incident_with_the_broker_hung_is_acknowledged_fast_and_the_sweeper_pages(
    slack, fake_pagerduty, celery_worker_process
):
    case = case_opened_in_slack(slack.fake)
    # Alice is known (the guard has looked her up): the escalation runs before the ack.
    reply_of(slack.command("help", channel_id=case.channel_id))
    with hung_broker() as url:
        celery_use_broker(url)
        started = time.monotonic()
        reply = reply_of(slack.command("incident", channel_id=case.channel_id))
        elapsed = time.monotonic() - started
    # Within Slack's 3 s: one bounded publish attempt, the other effects skipped.
    assert elapsed < 2.5, elapsed
    assert "is now an active incident and you are its commander" in text_of(reply)
    assert Incident.objects.get(investigation=case).commander == "U0ALICE001"
    rows = OutboxMessage.objects.filter(investigation=case, status=OutboxMessage.Status.PENDING)
    assert Effect.PAGERDUTY_TRIGGER in set(rows.values_list("kind", flat=True))
    assert fake_pagerduty.received == []

    # The broker is back: the sweeper (beat's task) re-sends, the worker delivers.
    celery_use_broker(celery_worker_process.broker_url)
    assert outbox_sweep(grace_seconds=0) >= 4
    assert wait_until(
        lambda: Incident.objects.get(investigation=case).pagerduty_state == "triggered", timeout=30
    )
    assert wait_until(lambda: escalation_posted(slack.fake, case), timeout=30)
    assert [event["event_action"] for event in fake_pagerduty.accepted()] == ["trigger"]


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_tasks_handed_over_twice_page_once_invite_once_and_archive_once(
    fake_pagerduty, fake_slack, celery_worker_process
):
    # Bob is in the response group and already in the channel when he escalates.
    case = case_opened_in_slack(fake_slack, members=("U0BOB00001",))

    services.investigation_escalate(investigation_id=case.pk, actor="U0BOB00001")
    escalation = OutboxMessage.objects.filter(investigation=case)
    for row in escalation.filter(status=OutboxMessage.Status.PENDING):
        outbox_dispatch(row.pk)  # a second copy of every task, as a lost ack would cause
    assert wait_until(lambda: not escalation.filter(status="pending").exists(), timeout=30)

    services.incident_resolve(investigation_id=case.pk, actor="U0BOB00001")
    services.investigation_close(investigation_id=case.pk, actor="U0BOB00001")
    for row in escalation.filter(status=OutboxMessage.Status.PENDING):
        outbox_dispatch(row.pk)
    assert wait_until(lambda: not escalation.filter(status="pending").exists(), timeout=30)
    time.sleep(1.0)  # let any straggling copy run before counting

    assert [e["event_action"] for e in fake_pagerduty.accepted()] == ["trigger", "resolve"]
    assert fake_slack.calls_to("conversations.invite") == [
        {"channel": case.channel_id, "users": "U0CAROL001", "force": "1"}
    ]
    assert fake_slack.calls_to("conversations.archive") == [{"channel": case.channel_id}]
    assert fake_slack.channels[case.channel_id]["is_archived"]
    assert not escalation.filter(status=OutboxMessage.Status.FAILED).exists()
    assert len([p for p in posts_in(fake_slack, case.channel_id)
                if "Escalated to an active incident" in block_text(p)]) == 1
