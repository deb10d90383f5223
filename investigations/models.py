"""Investigations, their evidence, incident, audit trail and outbox."""

import uuid
from typing import Any, NoReturn

from django.db import models
from django.utils import timezone

from investigations.state_machine import Phase, phase_of


class Investigation(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending (channel being created)"
        INVESTIGATING = "investigating", "Investigating"
        ESCALATED = "escalated", "Escalated"
        CLOSED = "closed", "Closed"
        FAILED = "failed", "Failed to open"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Also the Slack channel's name: generated once, used for both.
    name = models.CharField(max_length=80, unique=True)
    # As the user meant it (Slack entities undone); escaped only when rendered.
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    channel_id = models.CharField(max_length=32, null=True, blank=True, unique=True)
    # A link to the channel that works in a browser (for PagerDuty, exports).
    channel_url = models.URLField(max_length=300, blank=True)
    team_id = models.CharField(max_length=32, blank=True)
    opened_by = models.CharField(max_length=32)
    opened_at = models.DateTimeField(default=timezone.now)
    closed_by = models.CharField(max_length=32, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    announcement_ts = models.CharField(max_length=32, blank=True)
    failure_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-opened_at"], name="inv_status_opened"),
            models.Index(fields=["opened_at"], name="inv_opened"),
            models.Index(fields=["closed_at"], name="inv_closed"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def phase(self) -> Phase:
        incident = getattr(self, "incident", None) if self.status == self.Status.ESCALATED else None
        return phase_of(self.status, None if incident is None else incident.resolved_at is not None)


class Incident(models.Model):
    class PagerDutyState(models.TextChoices):
        DISABLED = "disabled", "Not configured"
        PENDING = "pending", "Pending"
        TRIGGERED = "triggered", "Triggered"
        RESOLVED = "resolved", "Resolved"
        FAILED = "failed", "Failed"

    investigation = models.OneToOneField(
        Investigation, on_delete=models.PROTECT, related_name="incident"
    )
    commander = models.CharField(max_length=32)
    escalated_by = models.CharField(max_length=32)
    escalated_at = models.DateTimeField(default=timezone.now)
    resolved_by = models.CharField(max_length=32, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    pagerduty_state = models.CharField(
        max_length=16, choices=PagerDutyState.choices, default=PagerDutyState.DISABLED
    )
    pagerduty_error = models.TextField(blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["escalated_at"], name="incident_escalated"),
            models.Index(fields=["resolved_at"], name="incident_resolved"),
        ]

    def __str__(self) -> str:
        return f"Incident of {self.investigation_id}"


class Evidence(models.Model):
    """A link to a Slack message; Case never stores the message's content."""

    investigation = models.ForeignKey(
        Investigation, on_delete=models.PROTECT, related_name="evidence"
    )
    source_channel_id = models.CharField(max_length=32)
    message_ts = models.CharField(max_length=32)
    permalink = models.URLField(max_length=500)
    added_by = models.CharField(max_length=32)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "evidence"
        ordering = ["added_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["investigation", "source_channel_id", "message_ts"],
                name="evidence_unique_message",
            )
        ]
        indexes = [models.Index(fields=["added_at"], name="evidence_added")]

    def __str__(self) -> str:
        return self.permalink


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> NoReturn:
        raise TypeError("Audit events are append-only.")

    def delete(self) -> NoReturn:
        raise TypeError("Audit events are append-only.")


class AuditEvent(models.Model):
    """Who did what, when. Append-only: no code path updates or deletes it."""

    class Action(models.TextChoices):
        OPENED = "opened", "Opened"
        RENAMED = "renamed", "Renamed (channel name taken)"
        CHANNEL_CREATED = "channel_created", "Channel created"
        ACTIVATED = "activated", "Channel ready"
        FAILED = "failed", "Failed to open"
        ESCALATED = "escalated", "Escalated to incident"
        RESOLVED = "resolved", "Incident resolved"
        TRANSFERRED = "transferred", "Commander transferred"
        CLOSED = "closed", "Closed"
        EVIDENCE_ADDED = "evidence_added", "Evidence added"

    investigation = models.ForeignKey(
        Investigation, on_delete=models.PROTECT, related_name="audit_events"
    )
    action = models.CharField(max_length=32, choices=Action.choices)
    actor = models.CharField(max_length=32)
    at = models.DateTimeField(default=timezone.now)
    details = models.JSONField(default=dict, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["investigation", "at"], name="audit_inv_at")]

    def __str__(self) -> str:
        return f"{self.action} by {self.actor}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise TypeError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError("Audit events are append-only.")


class OutboxMessage(models.Model):
    """A side effect recorded with the state change that caused it."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=64)
    investigation = models.ForeignKey(
        Investigation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="outbox_messages",
    )
    idempotency_key = models.CharField(max_length=200, unique=True)
    # Messages sharing an ordering key are delivered in the order recorded.
    ordering_key = models.CharField(max_length=200, blank=True)
    payload = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due"),
            models.Index(fields=["ordering_key", "id"], name="outbox_ordering"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} [{self.status}]"
