"""Read queries over investigations; prefetching is decided here."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, QuerySet

from investigations.effects import Effect
from investigations.models import Incident, Investigation, OutboxMessage

ACTIVE_STATUSES = (Investigation.Status.INVESTIGATING, Investigation.Status.ESCALATED)


def investigation_get_by_channel(*, channel_id: str) -> Investigation | None:
    """The investigation whose Slack channel this is, with its incident."""
    return (
        Investigation.objects.select_related("incident")
        .annotate(evidence_count=Count("evidence"))
        .filter(channel_id=channel_id)
        .first()
    )


def investigation_get(*, public_id: str) -> Investigation | None:
    return Investigation.objects.select_related("incident").filter(public_id=public_id).first()


def investigation_list_open() -> QuerySet[Investigation]:
    """Open investigations (not pending, failed or closed), newest first."""
    return (
        Investigation.objects.filter(status__in=ACTIVE_STATUSES)
        .select_related("incident")
        .annotate(evidence_count=Count("evidence"))
        .order_by("-opened_at", "-id")
    )


def outbox_list_for(*, investigation: Investigation) -> QuerySet[OutboxMessage]:
    return OutboxMessage.objects.filter(investigation=investigation).order_by("id")


@dataclass(frozen=True)
class PagerDutyStatus:
    """Where the incident's page stands, for `/case status` and the admin.

    `state` is the incident's PagerDuty state (disabled, pending, triggered,
    resolved, failed); `reason` is why it failed, or, while an event is
    being retried, what PagerDuty last answered. `sending` names the event
    still on its way ("trigger" or "resolve"), with its tries so far and the
    time of the next one.
    """

    state: str
    label: str
    reason: str = ""
    sending: str = ""
    attempts: int = 0
    next_attempt_at: datetime | None = None


def incident_pagerduty_status(*, investigation: Investigation) -> PagerDutyStatus | None:
    """The page's delivery state; None when the investigation was never escalated."""
    incident = Incident.objects.filter(investigation=investigation).first()
    if incident is None:
        return None
    state = Incident.PagerDutyState(incident.pagerduty_state)
    in_flight = (
        OutboxMessage.objects.filter(
            investigation=investigation,
            kind__in=(Effect.PAGERDUTY_TRIGGER, Effect.PAGERDUTY_RESOLVE),
            status=OutboxMessage.Status.PENDING,
        )
        .order_by("id")
        .first()
    )
    if in_flight is None:
        return PagerDutyStatus(state=state.value, label=state.label, reason=incident.pagerduty_error)
    return PagerDutyStatus(
        state=state.value,
        label=state.label,
        reason=in_flight.last_error or incident.pagerduty_error,
        sending=in_flight.kind.removeprefix("pagerduty."),
        attempts=in_flight.attempts,
        next_attempt_at=in_flight.next_attempt_at,
    )
