"""The outbox's Celery task: retries later, eagerly too, and never sleeps."""

import time

import pytest
from django.db import transaction

from investigations import outbox, tasks
from investigations.models import OutboxMessage
from investigations.outbox_test_handlers import ECHO
from tests.conftest import wait_until


def status_of(message: OutboxMessage) -> tuple[str, int]:
    message.refresh_from_db()
    return message.status, message.attempts


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_an_eager_transient_failure_is_retried_after_its_countdown(settings):
    settings.OUTBOX_EAGER_RETRY = True
    started = time.monotonic()
    with transaction.atomic():
        message = outbox.outbox_record(
            kind=ECHO, key="echo:eager-retry", payload={"transient_failures": 1, "retry_after": 0.5}
        )
    # The first try ran on commit and failed; nothing waited for the retry.
    assert time.monotonic() - started < 0.4
    assert status_of(message) == ("pending", 1)

    assert wait_until(lambda: status_of(message) == ("delivered", 2), timeout=5, interval=0.05)
    assert time.monotonic() - started >= 0.5


@pytest.mark.django_db
def test_the_eager_retry_timer_can_be_turned_off(settings):
    settings.OUTBOX_EAGER_RETRY = False
    assert tasks.eager_retry_later(1, 0.01) is None


@pytest.mark.django_db
def test_an_eager_retry_redispatches_the_message(settings, monkeypatch):
    settings.OUTBOX_EAGER_RETRY = True
    dispatched: list[int] = []
    monkeypatch.setattr(outbox, "outbox_dispatch", lambda message_id: dispatched.append(message_id))
    timer = tasks.eager_retry_later(41, 0.05)
    assert timer is not None
    assert timer.daemon
    timer.join(timeout=2)
    assert dispatched == [41]
