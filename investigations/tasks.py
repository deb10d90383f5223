"""Celery adapters for the outbox: ids in, the outbox module does the work."""

from celery import Task, shared_task


@shared_task(bind=True, name="investigations.deliver_outbox_message", max_retries=None)
def deliver_outbox_message_task(self: Task, message_id: int) -> str:
    """Deliver one outbox message; retry with the policy's countdown.

    Run eagerly (no broker), a retry is left to the sweeper rather than run
    inline at once, which would ignore the countdown.
    """
    from investigations.outbox import outbox_deliver

    outcome = outbox_deliver(message_id)
    if outcome.retry_in is not None and not self.request.is_eager:
        raise self.retry(countdown=outcome.retry_in)
    return outcome.status


@shared_task(name="investigations.outbox_sweep")
def outbox_sweep_task() -> int:
    """Re-send pending outbox messages that no worker delivered in time."""
    from investigations.outbox import outbox_sweep

    return outbox_sweep()
