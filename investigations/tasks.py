"""Celery adapters for the outbox: ids in, the outbox module does the work."""

import threading

from celery import Task, shared_task
from django.conf import settings
from django.db import connections


@shared_task(bind=True, name="investigations.deliver_outbox_message", max_retries=None)
def deliver_outbox_message_task(self: Task, message_id: int) -> str:
    """Deliver one outbox message; retry with the policy's countdown.

    Run eagerly (no broker), `self.retry` would run the retry inline at once,
    ignoring the countdown; the retry is handed to a timer thread instead.
    """
    from investigations.outbox import outbox_deliver

    outcome = outbox_deliver(message_id)
    if outcome.retry_in is None:
        return outcome.status
    if self.request.is_eager:
        eager_retry_later(message_id, outcome.retry_in)
        return outcome.status
    raise self.retry(countdown=outcome.retry_in)


def eager_retry_later(message_id: int, delay: float) -> threading.Timer | None:
    """Re-dispatch a message after `delay` seconds in this process.

    The embedded default has no broker and no beat, so nothing else would
    retry a transient failure. The timer is a daemon: a process that exits
    first leaves the row pending, for the sweeper of a later deployment.
    """
    if not settings.OUTBOX_EAGER_RETRY:
        return None
    timer = threading.Timer(delay, _redispatch, args=[message_id])
    timer.daemon = True
    timer.name = f"outbox-eager-retry-{message_id}"
    timer.start()
    return timer


def deliver_in_this_process(message_id: int) -> None:
    """Run the delivery task eagerly on the calling (background) thread."""
    try:
        deliver_outbox_message_task.apply(args=[message_id])
    finally:
        connections.close_all()


def _redispatch(message_id: int) -> None:
    from investigations.outbox import outbox_dispatch

    try:
        outbox_dispatch(message_id)
    finally:
        # This thread's own database connection; nobody else would close it.
        connections.close_all()


@shared_task(name="investigations.outbox_sweep")
def outbox_sweep_task() -> int:
    """Re-send pending outbox messages that no worker delivered in time."""
    from investigations.outbox import outbox_sweep

    return outbox_sweep()
