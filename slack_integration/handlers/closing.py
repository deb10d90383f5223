"""Closing a case in Slack: the summary, then the channel archived.

Both rows share the case channel's ordering key, so the summary is always
posted before the archive (an archived channel takes no posts).
"""

from slack_sdk.errors import SlackApiError

from investigations.effects import Effect
from investigations.models import OutboxMessage
from investigations.outbox import outbox_handler
from slack_integration.blocks.closing import closing_summary as summary_message
from slack_integration.client import slack_client, slack_error_code, slack_errors_as_delivery_errors
from slack_integration.handlers.common import case_channel, investigation_of, post


@outbox_handler(Effect.SLACK_CLOSING_SUMMARY)
def closing_summary(message: OutboxMessage) -> None:
    investigation = investigation_of(message)
    content = summary_message(
        investigation,
        incident=getattr(investigation, "incident", None),
        evidence_count=investigation.evidence.count(),
    )
    post(case_channel(investigation), content)


@outbox_handler(Effect.SLACK_ARCHIVE_CHANNEL)
def archive_channel(message: OutboxMessage) -> None:
    """Archive the case channel; one already archived counts as done."""
    channel_id = case_channel(investigation_of(message))
    with slack_errors_as_delivery_errors("conversations.archive"):
        try:
            slack_client().conversations_archive(channel=channel_id)
        except SlackApiError as error:
            if slack_error_code(error) != "already_archived":
                raise
