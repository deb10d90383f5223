"""Posting a collected message's permalink in the case channel."""

from investigations.effects import Effect
from investigations.models import Evidence, OutboxMessage
from investigations.outbox import PermanentDeliveryError, outbox_handler
from slack_integration.blocks.evidence import evidence_post
from slack_integration.handlers.common import case_channel, investigation_of, post


@outbox_handler(Effect.SLACK_POST_EVIDENCE)
def post_evidence(message: OutboxMessage) -> None:
    evidence = Evidence.objects.filter(pk=message.payload.get("evidence_id")).first()
    if evidence is None:
        raise PermanentDeliveryError("the evidence no longer exists")
    post(case_channel(investigation_of(message)), evidence_post(evidence))
