"""Keeping the issues-channel announcement and the channel topic current.

Every state change records a refresh; each draws the state as it is when it
runs, so of a burst only the newest pending refresh needs to run: the
older ones see it queued and step aside.
"""

from django.conf import settings

from investigations.effects import Effect
from investigations.models import OutboxMessage
from investigations.outbox import outbox_handler
from slack_integration.blocks.announcement import announcement, channel_topic
from slack_integration.blocks.base import escape
from slack_integration.client import slack_client, slack_errors_as_delivery_errors
from slack_integration.handlers.common import investigation_of


def _superseded(message: OutboxMessage) -> bool:
    return OutboxMessage.objects.filter(
        kind=message.kind,
        investigation_id=message.investigation_id,
        status=OutboxMessage.Status.PENDING,
        id__gt=message.pk,
    ).exists()


@outbox_handler(Effect.SLACK_REFRESH_ANNOUNCEMENT)
def refresh_announcement(message: OutboxMessage) -> None:
    """Redraw the announcement in place (chat.update) and the topic."""
    if _superseded(message):
        return
    investigation = investigation_of(message)
    issues_channel = settings.ISSUES_CHANNEL_ID
    if issues_channel and investigation.announcement_ts:
        with slack_errors_as_delivery_errors("chat.update"):
            slack_client().chat_update(
                channel=issues_channel, ts=investigation.announcement_ts,
                **announcement(investigation),
            )
    topic = channel_topic(investigation)
    if topic is not None and investigation.channel_id:
        _set_topic(investigation.channel_id, topic)


def _set_topic(channel_id: str, topic: str) -> None:
    """Set the topic unless it already reads so: each change shows in the channel."""
    with slack_errors_as_delivery_errors("conversations.setTopic"):
        client = slack_client()
        current = client.conversations_info(channel=channel_id)["channel"].get("topic") or {}
        if current.get("value") not in (topic, escape(topic)):
            client.conversations_setTopic(channel=channel_id, topic=topic)
