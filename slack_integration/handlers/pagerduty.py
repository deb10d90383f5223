"""Telling the case channel that a page failed, so someone pages by hand."""

from investigations.effects import Effect
from investigations.models import OutboxMessage
from investigations.outbox import outbox_handler
from slack_integration.blocks.pagerduty import pagerduty_failed_notice
from slack_integration.handlers.common import case_channel, investigation_of, post


@outbox_handler(Effect.SLACK_PAGERDUTY_FAILED_NOTICE)
def pagerduty_failed(message: OutboxMessage) -> None:
    investigation = investigation_of(message)
    incident = getattr(investigation, "incident", None)
    content = pagerduty_failed_notice(
        action=message.payload.get("action", "trigger"),
        reason=message.payload.get("reason", ""),
        commander=incident.commander if incident is not None else "",
    )
    post(case_channel(investigation), content)
