"""A delivery Slack repeats is acted on once: a receipt row, inserted first.

Slack redelivers an event it thinks was lost (`X-Slack-Retry-Num`), Socket
Mode redelivers an envelope that was not acknowledged in time, and a proxy may
replay a request. Each repeat carries the same `event_id` or `trigger_id`;
the unique index on `SlackDeliveryReceipt.key` lets exactly one of them in,
across every web process and Socket Mode runner.
"""

from django.db import IntegrityError, transaction

from slack_integration.models import SlackDeliveryReceipt


def delivery_receipt_take(*, key: str, kind: str) -> bool:
    """Record the delivery; False when it was received before."""
    try:
        with transaction.atomic():
            SlackDeliveryReceipt.objects.create(key=key[:255], kind=kind[:64])
    except IntegrityError:
        return False
    return True
