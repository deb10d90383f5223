"""A delivery Slack repeats is acted on once: a receipt row, inserted first.

Slack redelivers an event it thinks was lost (`X-Slack-Retry-Num`), Socket
Mode redelivers an envelope that was not acknowledged in time, and a proxy may
replay a request. Each repeat carries the same `event_id` or `trigger_id`;
the unique index on `SlackDeliveryReceipt.key` lets exactly one of them in,
across every web process and Socket Mode runner.
"""

from django.db import connection
from django.utils import timezone

from slack_integration.models import SlackDeliveryReceipt

# One statement, no savepoint and no exception on a repeat: this runs before
# every ack (PostgreSQL, and SQLite since 3.35, both speak it).
_INSERT = (
    "INSERT INTO {table} (key, kind, received_at) VALUES (%s, %s, %s) "
    "ON CONFLICT (key) DO NOTHING RETURNING id"
)


def delivery_receipt_take(*, key: str, kind: str) -> bool:
    """Record the delivery; False when it was received before."""
    sql = _INSERT.format(table=connection.ops.quote_name(SlackDeliveryReceipt._meta.db_table))
    with connection.cursor() as cursor:
        cursor.execute(sql, [key[:255], kind[:64], timezone.now()])
        return cursor.fetchone() is not None
