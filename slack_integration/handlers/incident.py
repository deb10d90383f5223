"""Incident notices: escalation (case channel and issues thread), resolution,
commander transfer."""

from django.conf import settings

from investigations.effects import Effect
from investigations.models import OutboxMessage
from investigations.outbox import outbox_handler, outbox_record
from slack_integration.blocks import incident as blocks
from slack_integration.handlers.common import case_channel, incident_of, investigation_of, post
from slack_integration.handlers.invites import invite_missing

# A follow-up the escalation notice records, so each row makes one post and a
# retry of the second never repeats the first.
ESCALATION_THREAD = "slack.escalation_thread"


@outbox_handler(Effect.SLACK_ESCALATION_NOTICE)
def escalation_notice(message: OutboxMessage) -> None:
    """Tell the case channel it is an incident; the issues thread follows."""
    investigation = investigation_of(message)
    incident = incident_of(investigation)
    content = blocks.escalation_notice(
        investigation, incident, response_group_id=settings.INCIDENT_RESPONSE_GROUP_ID
    )
    post(case_channel(investigation), content)
    outbox_record(
        kind=ESCALATION_THREAD,
        key=f"{ESCALATION_THREAD}:{investigation.public_id}",
        investigation=investigation,
    )


@outbox_handler(ESCALATION_THREAD)
def escalation_thread(message: OutboxMessage) -> None:
    """Thread the escalation under the announcement, broadcast to the channel."""
    issues_channel = settings.ISSUES_CHANNEL_ID
    if not issues_channel:
        return
    investigation = investigation_of(message)
    content = blocks.escalation_thread_reply(investigation, incident_of(investigation))
    if investigation.announcement_ts:
        post(issues_channel, content, thread_ts=investigation.announcement_ts,
             reply_broadcast=True)
    else:
        # The announcement never made it: say it at the top level instead.
        post(issues_channel, content)


@outbox_handler(Effect.SLACK_RESOLUTION_NOTICE)
def resolution_notice(message: OutboxMessage) -> None:
    investigation = investigation_of(message)
    content = blocks.resolution_notice(investigation, incident_of(investigation))
    post(case_channel(investigation), content)


@outbox_handler(Effect.SLACK_TRANSFER_NOTICE)
def transfer_notice(message: OutboxMessage) -> None:
    """Invite the new commander (repeatable), then announce the handover."""
    investigation = investigation_of(message)
    channel_id = case_channel(investigation)
    payload = message.payload
    invite_missing(channel_id, [payload["new_commander"]])
    content = blocks.transfer_notice(
        investigation,
        old_commander=payload["old_commander"],
        new_commander=payload["new_commander"],
        by=payload["by"],
    )
    post(channel_id, content)
