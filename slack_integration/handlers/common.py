"""What the Slack handlers share: the case behind a row, its channel, a post."""

from typing import Any

from investigations.models import Incident, Investigation, OutboxMessage
from investigations.outbox import PermanentDeliveryError
from slack_integration.client import slack_client, slack_errors_as_delivery_errors


def investigation_of(message: OutboxMessage) -> Investigation:
    """The row's investigation, read fresh with its incident."""
    investigation = (
        Investigation.objects.select_related("incident")
        .filter(pk=message.investigation_id)
        .first()
    )
    if investigation is None:
        raise PermanentDeliveryError("the investigation no longer exists")
    return investigation


def incident_of(investigation: Investigation) -> Incident:
    incident = getattr(investigation, "incident", None)
    if incident is None:
        raise PermanentDeliveryError(f"{investigation.name} has no incident")
    return incident


def case_channel(investigation: Investigation) -> str:
    if not investigation.channel_id:
        raise PermanentDeliveryError(f"{investigation.name} has no Slack channel")
    return investigation.channel_id


def post(channel_id: str, content: dict, **extra: Any) -> dict:
    """chat.postMessage with Slack's failures turned into delivery errors."""
    with slack_errors_as_delivery_errors("chat.postMessage"):
        return slack_client().chat_postMessage(channel=channel_id, **content, **extra).data
