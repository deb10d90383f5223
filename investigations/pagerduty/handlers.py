"""Outbox handlers that page PagerDuty on escalation and resolve on resolution.

Both events of one incident share an ordering key, so a resolve recorded
while the trigger is still being retried waits for it. A page that fails
for good (a 400, or transient failures for about half an hour) marks the
incident's PagerDuty state failed and asks the Slack side to tell the
channel to page by hand, in the same transaction.
"""

import logging

from django.conf import settings

from investigations.effects import Effect, channel_ordering_key
from investigations.models import Incident, OutboxMessage
from investigations.outbox import (
    GIVE_UP_AFTER_SECONDS,
    PermanentDeliveryError,
    TransientDeliveryError,
    attempts_within,
    outbox_handler,
    outbox_record,
)
from investigations.pagerduty import client, payloads
from investigations.services import incident_set_pagerduty_state

logger = logging.getLogger(__name__)

# Keep paging through an outage of about half an hour (the outbox's default)
# before asking for a page by hand; with retries at most 30 s apart, a page
# still goes out within about 30 s of PagerDuty answering again.
MAX_ATTEMPTS = attempts_within(GIVE_UP_AFTER_SECONDS)


def _send(event: payloads.Event) -> None:
    """POST `event`; raise the outbox's error for anything but acceptance."""
    try:
        answer = client.events_enqueue(
            event, url=settings.PAGERDUTY_EVENTS_URL, timeout=client.TIMEOUT_SECONDS
        )
    except client.PagerDutyUnreachableError as error:
        raise TransientDeliveryError(str(error)) from error
    except ValueError as error:
        raise PermanentDeliveryError(str(error)) from error
    if answer.accepted:
        return
    if answer.status == 429 or answer.status == 408 or answer.status >= 500:
        raise TransientDeliveryError(answer.reason, retry_after=answer.retry_after)
    # 400 (an event PagerDuty will never accept), or a 3xx/401/403/404 from a
    # wrong URL or key: no retry changes that.
    raise PermanentDeliveryError(answer.reason)


def _routing_key() -> str:
    if not settings.PAGERDUTY_ROUTING_KEY:
        raise PermanentDeliveryError("PagerDuty is not configured (PAGERDUTY_ROUTING_KEY is empty)")
    return settings.PAGERDUTY_ROUTING_KEY


def _incident(message: OutboxMessage) -> Incident:
    incident = Incident.objects.filter(investigation_id=message.investigation_id).first()
    if incident is None:
        raise PermanentDeliveryError("the investigation has no incident to page for")
    return incident


def _resolve_pending(message: OutboxMessage) -> bool:
    return OutboxMessage.objects.filter(
        investigation_id=message.investigation_id,
        kind=Effect.PAGERDUTY_RESOLVE,
        status=OutboxMessage.Status.PENDING,
    ).exists()


def page_failed(message: OutboxMessage) -> None:
    """Mark the page failed and have the channel told (on give-up or refusal)."""
    investigation = message.investigation
    action = "trigger" if message.kind == Effect.PAGERDUTY_TRIGGER else "resolve"
    incident_set_pagerduty_state(
        investigation_id=investigation.pk,
        state=Incident.PagerDutyState.FAILED,
        error=message.last_error,
    )
    outbox_record(
        kind=Effect.SLACK_PAGERDUTY_FAILED_NOTICE,
        # One notice per failure: an operator's retry that fails again says so again.
        key=f"{Effect.SLACK_PAGERDUTY_FAILED_NOTICE}:{message.pk}:{message.failed_at.isoformat()}",
        investigation=investigation,
        payload={"action": action, "reason": message.last_error},
        ordering_key=channel_ordering_key(investigation.public_id),
    )
    logger.warning(
        "pagerduty.failed action=%s investigation=%s reason=%s",
        action, investigation.public_id, message.last_error,
    )


@outbox_handler(Effect.PAGERDUTY_TRIGGER, max_attempts=MAX_ATTEMPTS, on_give_up=page_failed)
def deliver_trigger(message: OutboxMessage) -> None:
    """Send the incident's trigger; PagerDuty's dedup makes a repeat harmless."""
    routing_key = _routing_key()
    incident = _incident(message)
    investigation = message.investigation
    if incident.resolved_at is not None and not _resolve_pending(message):
        # An operator's retry after the incident ended: a trigger now would
        # open an alert that no resolve will ever close.
        logger.info("pagerduty.trigger_skipped investigation=%s", investigation.public_id)
        return
    _send(
        payloads.trigger_event(
            routing_key=routing_key,
            public_id=investigation.public_id,
            title=investigation.title,
            name=investigation.name,
            commander=incident.commander,
            escalated_at=incident.escalated_at,
            severity=settings.PAGERDUTY_SEVERITY,
            channel_id=investigation.channel_id or "",
            channel_url=investigation.channel_url,
        )
    )
    incident_set_pagerduty_state(
        investigation_id=investigation.pk, state=Incident.PagerDutyState.TRIGGERED
    )


@outbox_handler(Effect.PAGERDUTY_RESOLVE, max_attempts=MAX_ATTEMPTS, on_give_up=page_failed)
def deliver_resolve(message: OutboxMessage) -> None:
    """Resolve the alert, unless its trigger never reached PagerDuty."""
    incident = _incident(message)
    if incident.pagerduty_state == Incident.PagerDutyState.FAILED:
        # Nothing was paged, so nothing to resolve; keep the failure visible.
        logger.info("pagerduty.resolve_skipped investigation=%s", message.investigation.public_id)
        return
    _send(
        payloads.resolve_event(
            routing_key=_routing_key(), public_id=message.investigation.public_id
        )
    )
    incident_set_pagerduty_state(
        investigation_id=message.investigation_id, state=Incident.PagerDutyState.RESOLVED
    )

