"""The outbox: recorded atomically, handed over after commit, retried, swept."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from investigations import outbox
from investigations.models import OutboxMessage
from investigations.outbox_test_handlers import ECHO
from tests import factories
from tests.conftest import celery_use_broker, wait_until

pytestmark = pytest.mark.django_db


def record_echo(key: str = "echo:1", **payload) -> OutboxMessage:
    with transaction.atomic():
        return outbox.outbox_record(kind=ECHO, key=key, payload=payload)


def test_rows_are_handed_over_only_after_commit(django_capture_on_commit_callbacks, monkeypatch):
    dispatched: list[int] = []
    monkeypatch.setattr(outbox, "outbox_dispatch", lambda message_id: dispatched.append(message_id))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        message = record_echo()
        assert dispatched == []
    assert len(callbacks) == 1
    assert dispatched == [message.pk]


def test_rolled_back_change_leaves_no_row_and_sends_nothing(django_capture_on_commit_callbacks):
    def change_that_fails() -> None:
        with transaction.atomic():
            outbox.outbox_record(kind=ECHO, key="echo:rolled-back")
            raise RuntimeError("the state change failed")

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        change_that_fails()
    assert callbacks == []
    assert not OutboxMessage.objects.filter(idempotency_key="echo:rolled-back").exists()


def test_recording_the_same_effect_twice_is_one_row():
    first = record_echo("echo:same")
    second = record_echo("echo:same")
    assert first.pk == second.pk
    assert OutboxMessage.objects.count() == 1


def test_eager_delivery_marks_the_row_delivered(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = record_echo()
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.DELIVERED
    assert message.attempts == 1


def test_delivering_twice_runs_the_handler_once():
    message = record_echo()
    assert outbox.outbox_deliver(message.pk).status == "delivered"
    assert outbox.outbox_deliver(message.pk).status == "skipped"
    message.refresh_from_db()
    assert message.attempts == 1


def test_transient_failure_schedules_a_retry_with_backoff():
    message = record_echo(transient_failures=2)
    first = outbox.outbox_deliver(message.pk)
    second = outbox.outbox_deliver(message.pk)
    third = outbox.outbox_deliver(message.pk)
    assert (first.retry_in, second.retry_in) == (2.0, 4.0)
    assert third.status == "delivered"


def test_retry_after_is_honoured_exactly():
    message = record_echo(transient_failures=1, retry_after=7)
    assert outbox.outbox_deliver(message.pk).retry_in == 7.0
    message.refresh_from_db()
    assert message.next_attempt_at > timezone.now() + timedelta(seconds=6)


def test_backoff_is_capped_at_thirty_seconds():
    assert [outbox.retry_delay(n) for n in range(1, 8)] == [2, 4, 8, 16, 30, 30, 30]


def test_permanent_failure_is_recorded_and_not_retried():
    message = record_echo(permanent=True)
    assert outbox.outbox_deliver(message.pk).status == "failed"
    message.refresh_from_db()
    assert (message.status, message.last_error) == ("failed", "echo: refused")
    assert outbox.outbox_deliver(message.pk).status == "skipped"


def test_transient_failures_give_up_after_the_handlers_limit():
    message = record_echo(transient_failures=99)
    outcomes = [outbox.outbox_deliver(message.pk).status for _ in range(3)]
    assert outcomes == ["retry", "retry", "failed"]
    message.refresh_from_db()
    assert "gave up after 3 tries" in message.last_error


def test_unknown_kind_fails_with_the_reason():
    with transaction.atomic():
        message = outbox.outbox_record(kind="nobody.handles.this", key="k")
    assert outbox.outbox_deliver(message.pk).status == "failed"
    message.refresh_from_db()
    assert "no handler" in message.last_error


def test_a_later_message_waits_for_an_earlier_one_with_the_same_ordering_key():
    with transaction.atomic():
        first = outbox.outbox_record(kind=ECHO, key="a", ordering_key="pd:1")
        second = outbox.outbox_record(kind=ECHO, key="b", ordering_key="pd:1")
    waited = outbox.outbox_deliver(second.pk)
    assert waited.status == "retry"
    assert outbox.outbox_deliver(first.pk).status == "delivered"
    assert outbox.outbox_deliver(second.pk).status == "delivered"
    second.refresh_from_db()
    assert second.attempts == 1


def test_sweeper_resends_only_overdue_pending_rows(monkeypatch):
    sent: list[int] = []
    monkeypatch.setattr(outbox, "outbox_dispatch", lambda message_id: sent.append(message_id) or True)
    overdue = record_echo("old")
    OutboxMessage.objects.filter(pk=overdue.pk).update(
        next_attempt_at=timezone.now() - timedelta(minutes=5)
    )
    record_echo("fresh")
    done = record_echo("done")
    OutboxMessage.objects.filter(pk=done.pk).update(
        status="delivered", next_attempt_at=timezone.now() - timedelta(minutes=5)
    )
    assert outbox.outbox_sweep(grace_seconds=60) == 1
    assert sent == [overdue.pk]


def test_operator_retry_requeues_a_failed_row(django_capture_on_commit_callbacks):
    message = record_echo(permanent=True)
    outbox.outbox_deliver(message.pk)
    OutboxMessage.objects.filter(pk=message.pk).update(payload={})
    with django_capture_on_commit_callbacks(execute=True):
        outbox.outbox_retry(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.DELIVERED


def test_services_hand_effects_over_after_commit(django_capture_on_commit_callbacks, monkeypatch):
    dispatched: list[int] = []
    monkeypatch.setattr(outbox, "outbox_dispatch", lambda message_id: dispatched.append(message_id))
    investigation = factories.investigation_opened()
    with django_capture_on_commit_callbacks(execute=True):
        factories.services.investigation_close(investigation_id=investigation.pk, actor="U1")
    kinds = list(OutboxMessage.objects.filter(pk__in=dispatched).values_list("kind", flat=True))
    assert kinds == ["slack.closing_summary", "slack.archive_channel", "slack.refresh_announcement"]


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_unreachable_broker_keeps_the_request_fast_and_the_sweeper_delivers(
    settings, celery_worker_process
):
    # The broker vanishes at the moment of the change: nothing listens on port 9.
    good_url = celery_worker_process.broker_url
    celery_use_broker("redis://127.0.0.1:9/0")
    started = timezone.now()
    with transaction.atomic():
        message = outbox.outbox_record(kind=ECHO, key="echo:broker-down")
    elapsed = (timezone.now() - started).total_seconds()
    assert elapsed < 3.0
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.PENDING

    # The broker is back; the sweeper re-sends and the real worker delivers.
    celery_use_broker(good_url)
    assert outbox.outbox_sweep(grace_seconds=0) == 1
    assert wait_until(
        lambda: OutboxMessage.objects.get(pk=message.pk).status == "delivered", timeout=20
    )


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_real_worker_retries_a_transient_failure_through_redis(celery_worker_process):
    with transaction.atomic():
        message = outbox.outbox_record(
            kind=ECHO, key="echo:worker-retry", payload={"transient_failures": 1}
        )
    assert wait_until(
        lambda: OutboxMessage.objects.get(pk=message.pk).status == "delivered", timeout=20
    )
    message.refresh_from_db()
    assert message.attempts == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_without_a_broker_delivery_runs_after_the_request_on_another_thread(settings, monkeypatch):
    import threading

    from investigations.outbox_test_handlers import deliver_echo

    settings.OUTBOX_EAGER_BACKGROUND = True
    delivered_on: list[str] = []

    def recording_echo(message: OutboxMessage) -> None:
        delivered_on.append(threading.current_thread().name)
        deliver_echo(message)

    monkeypatch.setitem(
        outbox._HANDLERS, ECHO, outbox.HandlerSpec(ECHO, recording_echo, 3, None)
    )
    with transaction.atomic():
        message = outbox.outbox_record(kind=ECHO, key="echo:background")
    assert wait_until(
        lambda: OutboxMessage.objects.get(pk=message.pk).status == "delivered", timeout=10
    )
    assert delivered_on
    assert delivered_on[0].startswith("outbox-eager")
    assert delivered_on[0] != threading.current_thread().name
