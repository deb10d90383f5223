"""What the Slack integration keeps: receipts of Slack deliveries, for dedup."""

from django.db import models
from django.utils import timezone


class SlackDeliveryReceipt(models.Model):
    """One row per Slack delivery acted on, so a retried delivery is not acted on twice.

    The key is what Slack repeats on a retry: a slash command's or shortcut's
    `trigger_id`, an event's `event_id`. A unique index, not a per-process
    cache, so every web process and Socket Mode runner sees it.
    """

    key = models.CharField(max_length=255, unique=True)
    kind = models.CharField(max_length=64)
    received_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"{self.kind}:{self.key}"


# Installation health lives in its own module (slack_integration/installation.py).
from slack_integration.installation import InstallationProblem  # noqa: E402, F401
