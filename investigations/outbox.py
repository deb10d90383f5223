"""The outbox: every side effect leaves a state change through here.

A service records a row in its own transaction (`outbox_record`); after commit
the row's id is handed to Celery (`outbox_dispatch`); a worker delivers it by
calling the handler registered for its kind (`outbox_deliver`). A row that
never reached a worker is re-sent by the periodic `outbox_sweep`.
"""

import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from case_project.logs import log_bind, log_scope
from investigations.models import Investigation, OutboxMessage

logger = logging.getLogger(__name__)

FIRST_RETRY_SECONDS = 2.0
MAX_RETRY_SECONDS = 30.0
# A handler keeps trying through an outage of about this long (Slack's and
# PagerDuty's last tens of minutes) before its message fails for good.
GIVE_UP_AFTER_SECONDS = 30 * 60
ORDERING_WAIT_SECONDS = 2.0
BROKER_DOWN_SECONDS = 5.0

# Broker URL -> monotonic time until which publishing to it is not tried.
_broker_down_until: dict[str, float] = {}

# With no broker, deliveries run on this one thread: never inside the request
# that recorded them (a Slack command must be acknowledged before Case calls
# Slack), and one at a time, in the order recorded.
_eager_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="outbox-eager")


class DeliveryError(Exception):
    """Raised by a handler; says whether trying again can help."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class TransientDeliveryError(DeliveryError):
    """Network error, timeout, 5xx, rate limit: worth another try."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


class PermanentDeliveryError(DeliveryError):
    """A refusal that no retry will change (bad request, channel not found)."""


Handler = Callable[[OutboxMessage], None]
GiveUpCallback = Callable[[OutboxMessage], None]


@dataclass(frozen=True)
class HandlerSpec:
    kind: str
    handle: Handler
    max_attempts: int
    on_give_up: GiveUpCallback | None


_HANDLERS: dict[str, HandlerSpec] = {}


def outbox_handler(
    kind: str, *, max_attempts: int | None = None, on_give_up: GiveUpCallback | None = None
) -> Callable[[Handler], Handler]:
    """Register the function that delivers messages of `kind`.

    `max_attempts` defaults to the tries that fit in GIVE_UP_AFTER_SECONDS;
    a handler someone is waiting on may give up sooner. `on_give_up` runs in the delivery's transaction when the message fails for
    good (a permanent error, or `max_attempts` transient ones). A failed
    attempt rolls back the handler's database writes, but not what it put in
    `message.payload`: a multi-step handler checkpoints its progress there.
    """

    def register(handle: Handler) -> Handler:
        attempts = attempts_within(GIVE_UP_AFTER_SECONDS) if max_attempts is None else max_attempts
        _HANDLERS[kind] = HandlerSpec(kind, handle, attempts, on_give_up)
        return handle

    return register


def outbox_handler_for(kind: str) -> HandlerSpec | None:
    return _HANDLERS.get(kind)


def retry_delay(attempts: int, retry_after: float | None = None) -> float:
    """Seconds before the next try: Retry-After exactly, else 2 s doubling to 30 s."""
    if retry_after is not None:
        return max(float(retry_after), 0.0)
    return min(FIRST_RETRY_SECONDS * 2 ** max(attempts - 1, 0), MAX_RETRY_SECONDS)


def attempts_within(seconds: float) -> int:
    """How many tries the backoff fits into `seconds`."""
    attempts, elapsed = 1, 0.0
    while elapsed + retry_delay(attempts) <= seconds:
        elapsed += retry_delay(attempts)
        attempts += 1
    return attempts


def outbox_record(
    *,
    kind: str,
    key: str,
    investigation: Investigation | None = None,
    payload: dict | None = None,
    ordering_key: str = "",
) -> OutboxMessage:
    """Record a side effect in the caller's transaction; hand it over after commit.

    The idempotency key makes recording the same effect twice a no-op.
    """
    message, created = OutboxMessage.objects.get_or_create(
        idempotency_key=key,
        defaults={
            "kind": kind,
            "investigation": investigation,
            "payload": payload or {},
            "ordering_key": ordering_key,
        },
    )
    if created:
        transaction.on_commit(partial(outbox_dispatch, message.pk))
    return message


def outbox_dispatch(message_id: int, countdown: float | None = None) -> bool:
    """Hand a message to Celery; never raise, never block for long.

    A broker that cannot be reached leaves the row pending for the sweeper,
    and is not asked again for BROKER_DOWN_SECONDS: a request that records
    several effects waits for one failed publish, not one per effect.
    """
    from investigations.tasks import deliver_in_this_process, deliver_outbox_message_task

    if deliver_outbox_message_task.app.conf.task_always_eager and settings.OUTBOX_EAGER_BACKGROUND:
        _eager_executor.submit(deliver_in_this_process, message_id)
        return True
    broker = deliver_outbox_message_task.app.conf.broker_url
    if time.monotonic() < _broker_down_until.get(broker, 0.0):
        logger.info("outbox.dispatch_skipped message_id=%s; broker down, left for the sweeper",
                    message_id)
        return False
    try:
        deliver_outbox_message_task.apply_async(
            args=[message_id],
            countdown=countdown,
            retry=False,
            # Bounds the publish itself; the connect timeout is in celery_config.
            timeout=settings.CELERY_PUBLISH_TIMEOUT,
        )
    except Exception:
        _broker_down_until[broker] = time.monotonic() + BROKER_DOWN_SECONDS
        logger.warning(
            "outbox.dispatch_failed message_id=%s; left pending for the sweeper",
            message_id,
            exc_info=True,
        )
        return False
    _broker_down_until.pop(broker, None)
    return True


@dataclass(frozen=True)
class DeliveryOutcome:
    status: str  # delivered | failed | retry | skipped
    retry_in: float | None = None


SKIPPED = DeliveryOutcome("skipped")


@log_scope
def outbox_deliver(message_id: int) -> DeliveryOutcome:
    """Deliver one message once, whoever calls and however often.

    The row lock is held while the handler runs, and taken with SKIP LOCKED,
    so a second worker given the same id (a duplicate publish, the sweeper)
    returns at once instead of delivering it again.
    """
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=message_id, status=OutboxMessage.Status.PENDING)
            .first()
        )
        if message is None:
            return SKIPPED
        # Every log line of this delivery (handlers' too) names its investigation.
        log_bind(investigation=message.investigation and message.investigation.public_id,
                 outbox_id=message.pk)
        if _waits_for_earlier(message):
            return _schedule_retry(message, ORDERING_WAIT_SECONDS, count_attempt=False)
        spec = outbox_handler_for(message.kind)
        if spec is None:
            return _fail(message, None, f"no handler is registered for {message.kind!r}")
        message.attempts += 1
        try:
            with transaction.atomic():
                spec.handle(message)
        except TransientDeliveryError as error:
            if message.attempts >= spec.max_attempts:
                return _fail(message, spec, f"gave up after {message.attempts} tries: {error}")
            message.last_error = error.reason
            return _schedule_retry(message, retry_delay(message.attempts, error.retry_after))
        except PermanentDeliveryError as error:
            return _fail(message, spec, error.reason)
        except Exception as error:
            # A bug or an unexpected answer: log it, retry a bounded number of times.
            logger.exception("outbox.handler_crashed kind=%s id=%s", message.kind, message.pk)
            if message.attempts >= spec.max_attempts:
                return _fail(message, spec, f"{type(error).__name__}: {error}")
            message.last_error = f"{type(error).__name__}: {error}"
            return _schedule_retry(message, retry_delay(message.attempts))
        message.status = OutboxMessage.Status.DELIVERED
        message.delivered_at = timezone.now()
        message.save(update_fields=["status", "delivered_at", "attempts"])
        return DeliveryOutcome("delivered")


def _waits_for_earlier(message: OutboxMessage) -> bool:
    if not message.ordering_key:
        return False
    return OutboxMessage.objects.filter(
        ordering_key=message.ordering_key,
        id__lt=message.pk,
        status=OutboxMessage.Status.PENDING,
    ).exists()


def _schedule_retry(
    message: OutboxMessage, delay: float, *, count_attempt: bool = True
) -> DeliveryOutcome:
    message.next_attempt_at = timezone.now() + timedelta(seconds=delay)
    # `payload` too: a handler's checkpoint survives the rollback of its attempt.
    fields = ["next_attempt_at"] + (["attempts", "last_error", "payload"] if count_attempt else [])
    message.save(update_fields=fields)
    return DeliveryOutcome("retry", retry_in=delay)


def _fail(message: OutboxMessage, spec: HandlerSpec | None, reason: str) -> DeliveryOutcome:
    message.status = OutboxMessage.Status.FAILED
    message.failed_at = timezone.now()
    message.last_error = reason
    message.save(update_fields=["status", "failed_at", "last_error", "attempts", "payload"])
    logger.warning("outbox.failed kind=%s id=%s reason=%s", message.kind, message.pk, reason)
    if spec is not None and spec.on_give_up is not None:
        spec.on_give_up(message)
    return DeliveryOutcome("failed")


def outbox_sweep(*, grace_seconds: float | None = None, limit: int = 500) -> int:
    """Re-send pending messages overdue by more than the grace period.

    The safety net for a publish that never reached the broker and for a
    worker killed mid-delivery. Returns how many were re-sent.
    """
    grace = settings.OUTBOX_SWEEP_GRACE if grace_seconds is None else grace_seconds
    cutoff = timezone.now() - timedelta(seconds=grace)
    overdue = list(
        OutboxMessage.objects.filter(
            status=OutboxMessage.Status.PENDING, next_attempt_at__lte=cutoff
        )
        .order_by("id")
        .values_list("pk", flat=True)[:limit]
    )
    sent = sum(1 for message_id in overdue if outbox_dispatch(message_id))
    if overdue:
        logger.info("outbox.swept overdue=%s sent=%s", len(overdue), sent)
    return sent


def outbox_retry(*, message_id: int) -> OutboxMessage:
    """Put a failed message back in the queue (an operator's retry)."""
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().get(pk=message_id)
        if message.status == OutboxMessage.Status.FAILED:
            message.status = OutboxMessage.Status.PENDING
            message.attempts = 0
            message.failed_at = None
            message.next_attempt_at = timezone.now()
            message.save(update_fields=["status", "attempts", "failed_at", "next_attempt_at"])
            transaction.on_commit(partial(outbox_dispatch, message.pk))
    return message
