"""The side effects services record in the outbox, by kind.

The domain names what must happen; `slack_integration` and the PagerDuty
module register the handlers that make it happen.
"""

from enum import StrEnum


class Effect(StrEnum):
    SLACK_OPEN_CHANNEL = "slack.open_channel"  # create, topic, invite, announce, welcome
    SLACK_ESCALATION_NOTICE = "slack.escalation_notice"
    SLACK_INVITE_RESPONSE_GROUP = "slack.invite_response_group"
    SLACK_RESOLUTION_NOTICE = "slack.resolution_notice"
    SLACK_TRANSFER_NOTICE = "slack.transfer_notice"  # and invite the new commander
    SLACK_CLOSING_SUMMARY = "slack.closing_summary"
    SLACK_ARCHIVE_CHANNEL = "slack.archive_channel"
    SLACK_POST_EVIDENCE = "slack.post_evidence"
    SLACK_REFRESH_ANNOUNCEMENT = "slack.refresh_announcement"
    # A page that failed for good: tell the channel to page by hand.
    SLACK_PAGERDUTY_FAILED_NOTICE = "slack.pagerduty_failed_notice"
    PAGERDUTY_TRIGGER = "pagerduty.trigger"
    PAGERDUTY_RESOLVE = "pagerduty.resolve"


def channel_ordering_key(public_id: object) -> str:
    """Posts in a case channel go out in order (the summary before the archive)."""
    return f"channel:{public_id}"


def pagerduty_ordering_key(public_id: object) -> str:
    """A resolve never overtakes its trigger."""
    return f"pagerduty:{public_id}"
