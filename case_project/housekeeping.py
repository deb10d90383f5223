"""Delete rows that have outlived OUTBOX_RETENTION_DAYS: delivered outbox rows, dedup keys.

Failed outbox rows are kept: they are the record of what went wrong until an
operator retries them. Other apps add their own pruning with
`@retention_pruner("name")`; dated tables named in `DATED_TABLES` are pruned
by their date column when the model exists.
"""

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from django.apps import apps
from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

logger = logging.getLogger(__name__)

BATCH_SIZE = 1000

Pruner = Callable[[datetime], int]
_PRUNERS: dict[str, Pruner] = {}

# (app_label.ModelName, date field): Slack's dedup receipts, which matter for
# minutes (Slack's retries) and are kept as long as the outbox rows.
DATED_TABLES = (("slack_integration.SlackDeliveryReceipt", "received_at"),)


def retention_pruner(name: str) -> Callable[[Pruner], Pruner]:
    """Register `prune(cutoff) -> rows deleted`, run by every housekeeping pass."""

    def register(prune: Pruner) -> Pruner:
        _PRUNERS[name] = prune
        return prune

    return register


def delete_in_batches(queryset: QuerySet, batch_size: int = BATCH_SIZE) -> int:
    """Delete `queryset` a batch at a time, so no statement holds locks for long."""
    deleted = 0
    while True:
        ids = list(queryset.order_by("pk").values_list("pk", flat=True)[:batch_size])
        if not ids:
            return deleted
        # The filter is re-applied: a row that changed since it was listed stays.
        queryset.filter(pk__in=ids).delete()
        deleted += len(ids)


@retention_pruner("outbox_delivered")
def outbox_prune(cutoff: datetime) -> int:
    """Delete outbox rows delivered before `cutoff` (never pending or failed ones)."""
    from investigations.models import OutboxMessage

    return delete_in_batches(
        OutboxMessage.objects.filter(
            status=OutboxMessage.Status.DELIVERED, delivered_at__lt=cutoff
        )
    )


def dated_table_prune(label: str, field: str, cutoff: datetime) -> int | None:
    """Delete rows of `label` dated before `cutoff`; None when no such model exists."""
    try:
        model = apps.get_model(label)
    except LookupError:
        return None
    return delete_in_batches(model.objects.filter(**{f"{field}__lt": cutoff}))


def housekeeping_run(*, retention_days: int | None = None) -> dict[str, int]:
    """Run every pruner once; returns rows deleted per pruner."""
    days = settings.OUTBOX_RETENTION_DAYS if retention_days is None else retention_days
    cutoff = timezone.now() - timedelta(days=days)
    deleted = {name: prune(cutoff) for name, prune in _PRUNERS.items()}
    for label, field in DATED_TABLES:
        count = dated_table_prune(label, field, cutoff)
        if count is not None:
            deleted[label] = count
    logger.info(
        "housekeeping.pruned retention_days=%s %s",
        days,
        " ".join(f"{name}={count}" for name, count in deleted.items()),
    )
    return deleted
