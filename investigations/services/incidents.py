"""Escalating an investigation to an incident, resolving and transferring it."""

from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from investigations.audit import audit_record
from investigations.effects import Effect, channel_ordering_key, pagerduty_ordering_key
from investigations.exceptions import SameCommander
from investigations.models import AuditEvent, Incident, Investigation
from investigations.outbox import outbox_record
from investigations.services.lifecycle import announcement_refresh_record
from investigations.services.locking import investigation_advance, investigation_lock
from investigations.state_machine import Action


def _pagerduty_enabled() -> bool:
    return bool(settings.PAGERDUTY_ROUTING_KEY)


def _record_effect(
    investigation: Investigation, effect: Effect, *, ordering: Callable[[object], str]
) -> None:
    """One effect per investigation, in the order `ordering` keeps (channel or page)."""
    outbox_record(
        kind=effect,
        key=f"{effect}:{investigation.public_id}",
        investigation=investigation,
        ordering_key=ordering(investigation.public_id),
    )


@transaction.atomic
def investigation_escalate(*, investigation_id: int, actor: str) -> Incident:
    """Escalate to an incident commanded by `actor`; pages and invites follow.

    Escalation happens once: a second one, concurrent or later, is refused.
    """
    investigation = investigation_lock(investigation_id)
    investigation_advance(investigation, Action.ESCALATE)
    incident = Incident.objects.create(
        investigation=investigation,
        commander=actor,
        escalated_by=actor,
        escalated_at=timezone.now(),
        pagerduty_state=(
            Incident.PagerDutyState.PENDING
            if _pagerduty_enabled()
            else Incident.PagerDutyState.DISABLED
        ),
    )
    investigation.status = Investigation.Status.ESCALATED
    investigation.save(update_fields=["status"])
    investigation.incident = incident
    audit_record(
        investigation=investigation,
        action=AuditEvent.Action.ESCALATED,
        actor=actor,
        details={"commander": actor},
    )
    _record_effect(investigation, Effect.SLACK_ESCALATION_NOTICE, ordering=channel_ordering_key)
    _record_effect(
        investigation, Effect.SLACK_INVITE_RESPONSE_GROUP, ordering=channel_ordering_key
    )
    if _pagerduty_enabled():
        _record_effect(investigation, Effect.PAGERDUTY_TRIGGER, ordering=pagerduty_ordering_key)
    announcement_refresh_record(investigation, reason="escalated")
    return incident


@transaction.atomic
def incident_resolve(*, investigation_id: int, actor: str) -> Incident:
    """End the active incident; the investigation stays open for the post-mortem."""
    investigation = investigation_lock(investigation_id)
    investigation_advance(investigation, Action.RESOLVE)
    incident = investigation.incident
    incident.resolved_by = actor
    incident.resolved_at = timezone.now()
    incident.save(update_fields=["resolved_by", "resolved_at"])
    audit_record(
        investigation=investigation,
        action=AuditEvent.Action.RESOLVED,
        actor=actor,
        details={"commander": incident.commander},
    )
    _record_effect(investigation, Effect.SLACK_RESOLUTION_NOTICE, ordering=channel_ordering_key)
    if incident.pagerduty_state != Incident.PagerDutyState.DISABLED:
        _record_effect(investigation, Effect.PAGERDUTY_RESOLVE, ordering=pagerduty_ordering_key)
    announcement_refresh_record(investigation, reason="resolved")
    return incident


@transaction.atomic
def incident_transfer(*, investigation_id: int, actor: str, new_commander: str) -> Incident:
    """Hand the commander role to `new_commander` while the incident is active."""
    investigation = investigation_lock(investigation_id)
    investigation_advance(investigation, Action.TRANSFER)
    incident = investigation.incident
    old_commander = incident.commander
    if old_commander == new_commander:
        raise SameCommander("That person is already the incident commander.")
    incident.commander = new_commander
    incident.save(update_fields=["commander"])
    event = audit_record(
        investigation=investigation,
        action=AuditEvent.Action.TRANSFERRED,
        actor=actor,
        details={"old_commander": old_commander, "new_commander": new_commander},
    )
    outbox_record(
        kind=Effect.SLACK_TRANSFER_NOTICE,
        key=f"{Effect.SLACK_TRANSFER_NOTICE}:{investigation.public_id}:{event.pk}",
        investigation=investigation,
        payload={"old_commander": old_commander, "new_commander": new_commander, "by": actor},
        ordering_key=channel_ordering_key(investigation.public_id),
    )
    announcement_refresh_record(investigation, reason="transferred")
    return incident


@transaction.atomic
def incident_set_pagerduty_state(
    *, investigation_id: int, state: str, error: str = ""
) -> Incident:
    """Record what PagerDuty last answered (used by the PagerDuty handlers)."""
    investigation = investigation_lock(investigation_id)
    incident = investigation.incident
    incident.pagerduty_state = state
    incident.pagerduty_error = error
    incident.save(update_fields=["pagerduty_state", "pagerduty_error"])
    return incident
