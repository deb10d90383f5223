"""Linking Slack messages to an investigation as evidence."""

from django.db import IntegrityError, transaction

from investigations.audit import audit_record
from investigations.effects import Effect, channel_ordering_key
from investigations.exceptions import EvidenceAlreadyCollected
from investigations.models import AuditEvent, Evidence
from investigations.outbox import outbox_record
from investigations.services.locking import investigation_advance, investigation_lock
from investigations.state_machine import Action

ALREADY_COLLECTED = "That message is already collected as evidence for this investigation."


@transaction.atomic
def evidence_add(
    *,
    investigation_id: int,
    actor: str,
    source_channel_id: str,
    message_ts: str,
    permalink: str,
) -> Evidence:
    """Link a message to an open investigation; the link is posted after commit.

    The same message twice raises `EvidenceAlreadyCollected`: checked under the
    investigation's lock and, as a last line, by the unique constraint.
    """
    investigation = investigation_lock(investigation_id)
    investigation_advance(investigation, Action.ADD_EVIDENCE)
    duplicate = Evidence.objects.filter(
        investigation=investigation, source_channel_id=source_channel_id, message_ts=message_ts
    ).exists()
    if duplicate:
        raise EvidenceAlreadyCollected(ALREADY_COLLECTED)
    try:
        with transaction.atomic():
            evidence = Evidence.objects.create(
                investigation=investigation,
                source_channel_id=source_channel_id,
                message_ts=message_ts,
                permalink=permalink,
                added_by=actor,
            )
    except IntegrityError:
        raise EvidenceAlreadyCollected(ALREADY_COLLECTED) from None
    audit_record(
        investigation=investigation,
        action=AuditEvent.Action.EVIDENCE_ADDED,
        actor=actor,
        details={"evidence_id": evidence.pk, "permalink": permalink},
    )
    outbox_record(
        kind=Effect.SLACK_POST_EVIDENCE,
        key=f"{Effect.SLACK_POST_EVIDENCE}:{evidence.pk}",
        investigation=investigation,
        payload={"evidence_id": evidence.pk},
        ordering_key=channel_ordering_key(investigation.public_id),
    )
    return evidence
